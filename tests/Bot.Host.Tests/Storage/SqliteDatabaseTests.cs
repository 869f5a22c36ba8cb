using Bot.Host.Storage;
using Bot.Host.Tests.Quiz;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Tests.Storage;

public class SqliteDatabaseTests
{
    [Fact]
    public async Task Migrate_NewFile_CreatesFolderSchemaAndWal()
    {
        await using var database = await TempDatabase.CreateAsync();

        Assert.True(File.Exists(database.Path));
        Assert.Equal(SqliteDatabase.LatestVersion, await database.OpenDatabase().SchemaVersionAsync(CancellationToken.None));
        Assert.Equal("wal", await ScalarAsync(database.Path, "PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task Migrate_FileFromVersion1_UpgradesInPlaceAndKeepsItsData()
    {
        await using var database = await TempDatabase.CreateAsync(version: 1);
        var old = database.OpenDatabase();
        var oldQuizzes = new SqliteQuizStore(old);
        var instance = await oldQuizzes.CreateInstanceAsync(SqliteQuizStoreTests.Practice(), CancellationToken.None);
        await oldQuizzes.RecordAnswerAsync(instance, SqliteQuizStoreTests.Alice, "Alice", 1, SqliteQuizStoreTests.Now, CancellationToken.None);
        Assert.Equal(1, await old.SchemaVersionAsync(CancellationToken.None));
        Assert.Equal(0L, await ScalarAsync(database.Path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'daily_posts';"));

        var upgraded = database.OpenDatabase();
        await upgraded.MigrateAsync(CancellationToken.None);
        await upgraded.MigrateAsync(CancellationToken.None);

        Assert.Equal(SqliteDatabase.LatestVersion, await upgraded.SchemaVersionAsync(CancellationToken.None));
        Assert.Equal(1L, await ScalarAsync(database.Path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'daily_posts';"));
        var history = await new SqliteQuizStore(upgraded).GetHistoryAsync(SqliteQuizStoreTests.Alice, CancellationToken.None);
        Assert.Equal((1, 1), (history.Answered, history.Correct));
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
