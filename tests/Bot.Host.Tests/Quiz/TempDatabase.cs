using Bot.Host.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Tests.Quiz;

/// <summary>A fresh SQLite file in a temporary folder, migrated, and removed afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bot-db-");

    public string Path => System.IO.Path.Combine(_folder.FullName, "nested", "bot.db");

    public static async Task<TempDatabase> CreateAsync(int? version = null)
    {
        var database = new TempDatabase();
        await database.OpenDatabase().MigrateAsync(CancellationToken.None, version);
        return database;
    }

    /// <summary>A new database object on the same file, as a second process would have.</summary>
    public SqliteDatabase OpenDatabase() => new(Path);

    /// <summary>A new quiz store on the same file, as a second process would have.</summary>
    public SqliteQuizStore OpenQuizStore() => new(OpenDatabase());

    /// <summary>A new daily-post store on the same file, as a second process would have.</summary>
    public SqliteDailyPostStore OpenDailyPostStore() => new(OpenDatabase());

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
