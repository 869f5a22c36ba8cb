using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Bot.Host.Storage;

/// <summary>The rows of one table in the source, and in the target once copied.</summary>
internal sealed record TableCount(string Table, long Source, long Target);

/// <summary>The target already holds rows, which a copy would mix with the source's.</summary>
internal sealed class TargetNotEmptyException(IReadOnlyList<TableCount> counts)
    : Exception("the target already holds data")
{
    /// <summary>The target's tables that hold rows, with how many (in <see cref="TableCount.Target"/>).</summary>
    public IReadOnlyList<TableCount> Counts { get; } = counts;
}

/// <summary>The rows written differ in number from the rows read; nothing was kept.</summary>
internal sealed class CopyMismatchException(IReadOnlyList<TableCount> counts)
    : Exception("the number of rows copied differs from the number read")
{
    public IReadOnlyList<TableCount> Counts { get; } = counts;
}

/// <summary>
/// Copies every table of <see cref="StorageTables"/> from one database to another, whichever their providers: read
/// in one snapshot of the source, written in one transaction of the target with the ids they had, and kept only when
/// each table's count in the target equals the source's.
/// </summary>
internal static class StorageCopier
{
    /// <exception cref="TargetNotEmptyException">The target holds rows and <paramref name="overwrite"/> is false; nothing was changed.</exception>
    /// <exception cref="CopyMismatchException">A count differed; the target was left as it was.</exception>
    public static async Task<IReadOnlyList<TableCount>> CopyAsync(CopySide source, CopySide target, bool overwrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        await source.BeginAsync(write: false, cancellationToken);
        await target.BeginAsync(write: true, cancellationToken);

        var held = new List<TableCount>();
        foreach (var table in StorageTables.All)
        {
            if (await target.CountAsync(table, cancellationToken) is var rows and > 0)
            {
                held.Add(new TableCount(table.Name, 0, rows));
            }
        }

        if (held.Count > 0)
        {
            if (!overwrite)
            {
                throw new TargetNotEmptyException(held);
            }

            await target.ClearAsync(cancellationToken);
        }

        var counts = new List<TableCount>();
        foreach (var table in StorageTables.All)
        {
            await target.WriteAsync(table, source.ReadAsync(table, cancellationToken), cancellationToken);
            counts.Add(new TableCount(table.Name, await source.CountAsync(table, cancellationToken), await target.CountAsync(table, cancellationToken)));
        }

        if (counts.Any(count => count.Source != count.Target))
        {
            throw new CopyMismatchException(counts);
        }

        await target.CommitAsync(cancellationToken);
        return counts;
    }
}

/// <summary>One end of a copy: a connection with one transaction, and the table's rows as neutral values.</summary>
/// <remarks>
/// Neutral values: <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="string"/>,
/// <see cref="bool"/> and <see cref="DateOnly"/> for the <see cref="ColumnType"/>s in that order, or null.
/// </remarks>
internal abstract class CopySide : IAsyncDisposable
{
    private DbConnection? _connection;
    private DbTransaction? _transaction;

    public abstract IStorageDatabase Database { get; }

    protected DbConnection Connection => _connection ?? throw new InvalidOperationException("BeginAsync first");

    protected DbTransaction Transaction => _transaction ?? throw new InvalidOperationException("BeginAsync first");

    /// <summary>Opens a connection and its transaction: a snapshot to read from, or the one transaction every write goes into.</summary>
    public async Task BeginAsync(bool write, CancellationToken cancellationToken)
    {
        _connection = await OpenAsync(cancellationToken);
        _transaction = await BeginTransactionAsync(_connection, write, cancellationToken);
    }

    public async Task<long> CountAsync(StorageTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var command = Command($"SELECT COUNT(*) FROM {table.Name};");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async IAsyncEnumerable<object?[]> ReadAsync(StorageTable table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        await using var command = Command($"SELECT {string.Join(", ", table.Columns.Select(column => column.Name))} FROM {table.Name} ORDER BY {table.OrderBy};");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[table.Columns.Count];
            for (var index = 0; index < row.Length; index++)
            {
                row[index] = await reader.IsDBNullAsync(index, cancellationToken) ? null : Read(reader, index, table.Columns[index].Type);
            }

            yield return row;
        }
    }

    public abstract Task WriteAsync(StorageTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Deletes every row of every table, in the transaction.</summary>
    public abstract Task ClearAsync(CancellationToken cancellationToken);

    public virtual Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public virtual async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    protected abstract Task<DbTransaction> BeginTransactionAsync(DbConnection connection, bool write, CancellationToken cancellationToken);

    protected abstract object Read(DbDataReader reader, int ordinal, ColumnType type);

    protected DbCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }
}

internal sealed class SqliteCopySide(SqliteDatabase database) : CopySide
{
    public override IStorageDatabase Database => database;

    public override async Task WriteAsync(StorageTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        await using var insert = (SqliteCommand)Command(
            $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(column => column.Name))}) VALUES ({string.Join(", ", table.Columns.Select((_, index) => $"$c{index}"))});");
        var parameters = table.Columns.Select((_, index) => insert.Parameters.Add($"$c{index}", SqliteType.Blob)).ToArray();
        await foreach (var row in rows)
        {
            for (var index = 0; index < row.Length; index++)
            {
                parameters[index].SqliteType = table.Columns[index].Type switch
                {
                    ColumnType.Real => SqliteType.Real,
                    ColumnType.Text or ColumnType.Day => SqliteType.Text,
                    _ => SqliteType.Integer,
                };
                parameters[index].Value = row[index] switch
                {
                    null => DBNull.Value,
                    bool flag => flag ? 1L : 0L,
                    DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    var value => value,
                };
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override async Task ClearAsync(CancellationToken cancellationToken)
    {
        foreach (var table in StorageTables.All.Reverse())
        {
            await using var delete = Command($"DELETE FROM {table.Name};");
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    // A deferred transaction reads one snapshot of the file; an immediate one holds the write lock from its start.
    protected override Task<DbTransaction> BeginTransactionAsync(DbConnection connection, bool write, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: !write));

    protected override object Read(DbDataReader reader, int ordinal, ColumnType type) => type switch
    {
        ColumnType.Integer => checked((int)reader.GetInt64(ordinal)),
        ColumnType.BigInteger => reader.GetInt64(ordinal),
        ColumnType.Real => reader.GetDouble(ordinal),
        ColumnType.Boolean => reader.GetInt64(ordinal) != 0,
        ColumnType.Day => DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => reader.GetString(ordinal),
    };
}

/// <summary>The PostgreSQL end of a copy; it owns <paramref name="database"/> and disposes of it.</summary>
internal sealed class PostgresCopySide(PostgresDatabase database) : CopySide
{
    public override IStorageDatabase Database => database;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }

    /// <summary>Through COPY in binary, PostgreSQL's own bulk load; then past the copied ids with the table's identity.</summary>
    public override async Task WriteAsync(StorageTable table, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var connection = (NpgsqlConnection)Connection;
        var types = table.Columns.Select(column => column.Type switch
        {
            ColumnType.Integer => NpgsqlDbType.Integer,
            ColumnType.BigInteger => NpgsqlDbType.Bigint,
            ColumnType.Real => NpgsqlDbType.Double,
            ColumnType.Boolean => NpgsqlDbType.Boolean,
            ColumnType.Day => NpgsqlDbType.Date,
            _ => NpgsqlDbType.Text,
        }).ToArray();
        await using (var import = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(column => column.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            await foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken);
                for (var index = 0; index < row.Length; index++)
                {
                    if (row[index] is { } value)
                    {
                        await import.WriteAsync(value, types[index], cancellationToken);
                    }
                    else
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await import.CompleteAsync(cancellationToken);
        }

        if (table.IdentityColumn is { } identity)
        {
            // The next id made is one past the largest copied, so that no new row takes an id a copied one has.
            await using var advance = Command(
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', '{identity}'), COALESCE(MAX({identity}), 0) + 1, false) FROM {table.Name};");
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override async Task ClearAsync(CancellationToken cancellationToken)
    {
        await using var truncate = Command($"TRUNCATE {string.Join(", ", StorageTables.All.Select(table => table.Name))} RESTART IDENTITY;");
        await truncate.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    protected override async Task<DbTransaction> BeginTransactionAsync(DbConnection connection, bool write, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead, cancellationToken);

    protected override object Read(DbDataReader reader, int ordinal, ColumnType type) => type switch
    {
        ColumnType.Integer => reader.GetInt32(ordinal),
        ColumnType.BigInteger => reader.GetInt64(ordinal),
        ColumnType.Real => reader.GetDouble(ordinal),
        ColumnType.Boolean => reader.GetBoolean(ordinal),
        ColumnType.Day => reader.GetFieldValue<DateOnly>(ordinal),
        _ => reader.GetString(ordinal),
    };
}
