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
        await database.OpenStore().MigrateAsync(CancellationToken.None, version);
        return database;
    }

    /// <summary>A new store object on the same file, as a second process would have.</summary>
    public SqliteStore OpenStore() => new(Path);

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
