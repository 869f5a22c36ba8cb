using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Storage;

/// <summary>
/// The SQLite file that every store of the bot shares (WAL, so readers never wait for a writer): how it is opened,
/// and its schema, brought to <see cref="LatestVersion"/> by <see cref="Migrations"/>. Each caller opens a pooled
/// connection of its own, so any number of callers, and processes, can use the same file at once.
/// Times are stored as Unix milliseconds (UTC).
/// </summary>
internal sealed class SqliteDatabase : IStorageDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string path)
    {
        DatabasePath = Path.GetFullPath(path);
        _connectionString = ConnectionString(DatabasePath, SqliteOpenMode.ReadWriteCreate);
    }

    /// <summary>How every part of the bot opens the database: pooled, waiting up to 30 s for a lock.</summary>
    public static string ConnectionString(string fullPath, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = fullPath,
        Mode = mode,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public string DatabasePath { get; }

    public string Description => DatabasePath;

    public static int LatestVersion => IStorageDatabase.LatestVersion;

    /// <summary>Creates the file if needed and brings its schema to <see cref="LatestVersion"/> (or <paramref name="upToVersion"/>).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken, int? upToVersion = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        var target = upToVersion ?? LatestVersion;
        for (var step = 1; step <= target; step++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
            if (version >= step)
            {
                continue;
            }

            await ExecuteAsync(connection, Migrations.Steps[step - 1], cancellationToken);
            await ExecuteAsync(connection, $"PRAGMA user_version = {step};", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// For <c>bot doctor</c>: the schema version of the database after proving it can be written (a table created
    /// and rolled back), changing nothing. Null when the file does not exist yet; its folder is then shown to be
    /// writable instead, so that the first start can create it.
    /// </summary>
    public async Task<int?> ProbeAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(DatabasePath))
        {
            ProbeFolder(Path.GetDirectoryName(DatabasePath)!);
            return null;
        }

        await using var connection = new SqliteConnection(ConnectionString(DatabasePath, SqliteOpenMode.ReadWrite));
        await connection.OpenAsync(cancellationToken);
        var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE doctor_write_probe (x INTEGER);", cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
        return version;
    }

    // The nearest folder that exists must take a new file: the bot creates the rest of the path and the database.
    private static void ProbeFolder(string folder)
    {
        while (!Directory.Exists(folder))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new IOException($"no folder of {folder} exists");
        }

        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".bot-doctor-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"no new file can be made in {folder}, the nearest folder of it that exists ({exception.Message})", exception);
        }
    }

    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        int version;
        try
        {
            await MigrateAsync(cancellationToken);
            version = await SchemaVersionAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"cannot open the database {DatabasePath}: {exception.Message}", exception);
        }

        if (version > LatestVersion)
        {
            throw new StorageUnavailableException(
                $"the database {DatabasePath} has schema version {version}, newer than this bot's {LatestVersion}; run the newer bot, or point Storage:Path at another file");
        }
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}

internal sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
