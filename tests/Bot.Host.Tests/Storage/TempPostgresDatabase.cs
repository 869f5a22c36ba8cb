using Bot.Core.Quiz;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Npgsql;

namespace Bot.Host.Tests.Storage;

/// <summary>A fresh database on the run's <see cref="PostgresServer"/>, migrated, and dropped afterwards.</summary>
internal sealed class TempPostgresDatabase : ITestStorage
{
    private readonly PostgresServer _server;
    private readonly List<PostgresDatabase> _opened = [];

    private TempPostgresDatabase(PostgresServer server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
    }

    /// <summary>With the superuser's password, as a deployment's would have one.</summary>
    public string ConnectionString { get; }

    public StorageProvider Provider => StorageProvider.Postgres;

    public IReadOnlyDictionary<string, string> BotEnvironment => new Dictionary<string, string>
    {
        ["Storage__Provider"] = "Postgres",
        ["ConnectionStrings__Postgres"] = ConnectionString,
    };

    public IReadOnlyDictionary<string, string> StoreClientEnvironment => new Dictionary<string, string> { ["STORE_PROVIDER"] = "Postgres", ["STORE_CONNECTION"] = ConnectionString };

    public static async Task<TempPostgresDatabase> CreateAsync(PostgresServer server, int? version = null)
    {
        var database = new TempPostgresDatabase(server, await server.CreateDatabaseAsync());
        if (version != 0)
        {
            await database.OpenDatabase().MigrateAsync(CancellationToken.None, version);
        }

        return database;
    }

    /// <summary>A new database object, with a connection pool of its own, as a second process would have.</summary>
    public PostgresDatabase OpenDatabase()
    {
        var database = new PostgresDatabase(ConnectionString);
        lock (_opened)
        {
            _opened.Add(database);
        }

        return database;
    }

    IStorageDatabase ITestStorage.OpenDatabase() => OpenDatabase();

    public IQuizStore OpenQuizStore() => new PostgresQuizStore(OpenDatabase());

    public IDailyPostStore OpenDailyPostStore() => new PostgresDailyPostStore(OpenDatabase());

    public IUnansweredLookupStore OpenLookupStore() => new PostgresUnansweredLookupStore(OpenDatabase());

    public CopySide OpenCopySide() => new PostgresCopySide(new PostgresDatabase(ConnectionString));

    public async Task SetSchemaVersionAsync(int version)
    {
        await using var connection = await OpenDatabase().OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            $"{PostgresMigrations.VersionTable} INSERT INTO schema_migrations (version) VALUES ({version});", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>>> SchemaAsync()
    {
        await using var connection = await OpenDatabase().OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("""
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position;
            """, connection);
        return await TestSchema.ReadAsync(command);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            await database.DisposeAsync();
        }

        await _server.DropDatabaseAsync(ConnectionString);
    }
}
