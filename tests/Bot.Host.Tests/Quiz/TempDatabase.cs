using Bot.Core.Quiz;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Bot.Host.Tests.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Tests.Quiz;

/// <summary>A fresh SQLite file in a temporary folder, migrated, and removed afterwards.</summary>
internal sealed class TempDatabase : ITestStorage
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bot-db-");

    public string Path => System.IO.Path.Combine(_folder.FullName, "nested", "bot.db");

    public StorageProvider Provider => StorageProvider.Sqlite;

    public IReadOnlyDictionary<string, string> BotEnvironment => new Dictionary<string, string> { ["Storage__Path"] = Path };

    public IReadOnlyDictionary<string, string> StoreClientEnvironment => new Dictionary<string, string> { ["STORE_PROVIDER"] = "Sqlite", ["STORE_PATH"] = Path };

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

    IStorageDatabase ITestStorage.OpenDatabase() => OpenDatabase();

    IQuizStore ITestStorage.OpenQuizStore() => OpenQuizStore();

    IDailyPostStore ITestStorage.OpenDailyPostStore() => OpenDailyPostStore();

    public IUnansweredLookupStore OpenLookupStore() => new SqliteUnansweredLookupStore(Path);

    public CopySide OpenCopySide() => new SqliteCopySide(OpenDatabase());

    public async Task SetSchemaVersionAsync(int version)
    {
        await using var connection = await OpenDatabase().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA user_version = {version};";
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>>> SchemaAsync()
    {
        await using var connection = await OpenDatabase().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.name, c.name, c.type FROM sqlite_master m JOIN pragma_table_info(m.name) c
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid;
            """;
        return await TestSchema.ReadAsync(command);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
