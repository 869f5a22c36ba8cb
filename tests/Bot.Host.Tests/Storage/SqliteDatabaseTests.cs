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

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
