using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Bot.Host.Storage;

/// <summary>
/// The PostgreSQL database that every store of the bot shares, any number of replicas at once: how it is reached
/// (one Npgsql data source, whose pool every caller borrows from), how a unit of work is retried when the failure
/// was transient, and its schema, brought to <see cref="LatestVersion"/> by <see cref="PostgresMigrations"/>.
/// Times are stored as Unix milliseconds (UTC), as in the SQLite file.
/// </summary>
internal sealed partial class PostgresDatabase : IStorageDatabase, IAsyncDisposable
{
    /// <summary>Retries of a unit of work that failed transiently: about 0.2, 0.4, 0.8 and 1.6 s apart, with jitter.</summary>
    public const int MaxRetries = 4;

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);

    // Any fixed number will do, as long as every bot uses the same one: it makes replicas that start together take
    // turns at the migrations instead of racing to create the same tables.
    private const long MigrationLockKey = 0x7475746f72626f74; // "tutorbot"

    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _retries;
    private readonly ILogger _logger;

    /// <exception cref="ArgumentException">The connection string is not one (the message never quotes it).</exception>
    public PostgresDatabase(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        var settings = Parse(connectionString);
        Description = Describe(settings);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresDatabase>();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        _dataSource = builder.Build();
        _retries = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetries,
            Delay = FirstRetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            // Npgsql's own judgement: network failures and timeouts, and the server's codes for what may pass
            // (shutting down or starting, out of connections, serialization failures, deadlocks).
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(exception => exception.IsTransient),
            OnRetry = arguments =>
            {
                var exception = arguments.Outcome.Exception;
                LogRetry(Description, (exception as PostgresException)?.SqlState ?? exception?.GetType().Name ?? "?",
                    arguments.AttemptNumber + 1, arguments.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    public static int LatestVersion => IStorageDatabase.LatestVersion;

    /// <summary>"the PostgreSQL database bot on db.internal:5432": the database, host and port, never the user's password.</summary>
    public string Description { get; }

    /// <summary>
    /// Reads a connection string as Npgsql will, or throws an <see cref="ArgumentException"/> whose message says
    /// what is wrong with it without quoting it, since it may hold a password.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Parse(string connectionString)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ArgumentException($"it is not a PostgreSQL connection string ({exception.GetType().Name}); write it as Host=...;Database=...;Username=...;Password=...", exception);
        }

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw new ArgumentException("it names no Host; write it as Host=...;Database=...;Username=...;Password=...");
        }

        return settings;
    }

    private static string Describe(NpgsqlConnectionStringBuilder settings) =>
        $"the PostgreSQL database {settings.Database ?? settings.Username ?? "(the user's own)"} on {settings.Host}:{settings.Port}";

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection of its own, again on a fresh one after a transient failure.
    /// A retried unit must be safe to run twice: either the failure came before its commit and the server rolled it
    /// back, or the commit went through and the second run finds its own result (an answer already recorded, a slot
    /// already claimed by this owner), which every store method here reads as such.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        await _retries.ExecuteAsync(async token =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(token);
            return await work(connection, token);
        }, cancellationToken);

    public Task RunAsync(Func<NpgsqlConnection, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(async (connection, token) =>
        {
            await work(connection, token);
            return true;
        }, cancellationToken);

    /// <summary>A connection of the pool, for work that manages its own failures (a copy, which must not run twice).</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    public Task MigrateAsync(CancellationToken cancellationToken, int? upToVersion = null) => RunAsync(async (connection, token) =>
    {
        var target = upToVersion ?? LatestVersion;
        for (var step = 1; step <= target; step++)
        {
            await using var transaction = await connection.BeginTransactionAsync(token);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockKey});", token);
            await ExecuteAsync(connection, PostgresMigrations.VersionTable, token);
            if (await ReadVersionAsync(connection, token) >= step)
            {
                await transaction.CommitAsync(token);
                continue;
            }

            await ExecuteAsync(connection, PostgresMigrations.Steps[step - 1], token);
            await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version) VALUES (@version);", connection))
            {
                record.Parameters.AddWithValue("version", step);
                await record.ExecuteNonQueryAsync(token);
            }

            await transaction.CommitAsync(token);
        }
    }, cancellationToken);

    /// <summary>0 for a database the bot has never opened.</summary>
    public Task<int> SchemaVersionAsync(CancellationToken cancellationToken) => RunAsync(ReadVersionAsync, cancellationToken);

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        int version;
        try
        {
            await MigrateAsync(cancellationToken);
            version = await SchemaVersionAsync(cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            throw new StorageUnavailableException(
                $"cannot open {Description}: {exception.Message}; check {StorageOptions.PostgresConnectionStringKey} (host, port, database, user, password) and that the server accepts this client", exception);
        }

        if (version > LatestVersion)
        {
            throw new StorageUnavailableException(
                $"{Description} has schema version {version}, newer than this bot's {LatestVersion}; run the newer bot, or point {StorageOptions.PostgresConnectionStringKey} at another database");
        }
    }

    /// <summary>
    /// For <c>bot doctor</c>: the schema version (0 for a database the bot has never opened) after proving that the
    /// bot's user may create tables there (one created and rolled back), changing nothing.
    /// </summary>
    public Task<int> ProbeAsync(CancellationToken cancellationToken) => RunAsync(async (connection, token) =>
    {
        var version = await ReadVersionAsync(connection, token);
        await using var transaction = await connection.BeginTransactionAsync(token);
        await ExecuteAsync(connection, "CREATE TABLE doctor_write_probe (x integer);", token);
        await transaction.RollbackAsync(token);
        return version;
    }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL;", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        await using var version = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;", connection);
        return (int)(await version.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database} failed transiently ({Error}); retry {Attempt} in {DelayMs} ms")]
    private partial void LogRetry(string database, string error, int attempt, double delayMs);
}
