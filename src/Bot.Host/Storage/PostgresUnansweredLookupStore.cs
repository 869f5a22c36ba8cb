using System.Data;
using System.Text.Json;
using Bot.Core.Explain;
using Npgsql;
using NpgsqlTypes;

namespace Bot.Host.Storage;

/// <summary>The <c>unanswered_lookups</c> table of the <see cref="PostgresDatabase"/>.</summary>
internal sealed class PostgresUnansweredLookupStore(PostgresDatabase database) : IUnansweredLookupStore
{
    public string Description => database.Description;

    public Task<bool> HasTableAsync(CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('unanswered_lookups') IS NOT NULL;", connection);
        return (bool)(await command.ExecuteScalarAsync(token))!;
    }, cancellationToken);

    /// <summary>Appends <paramref name="lookups"/> with one statement, the batch passed as arrays.</summary>
    public Task AddAsync(IReadOnlyList<UnansweredLookup> lookups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        return database.RunAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO unanswered_lookups (query, query_key, candidates, outcome, at)
                SELECT * FROM unnest(@queries, @keys, @candidates, @outcomes, @ats);
                """, connection);
            command.Parameters.AddWithValue("queries", NpgsqlDbType.Array | NpgsqlDbType.Text, lookups.Select(lookup => lookup.Query).ToArray());
            command.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, lookups.Select(lookup => IUnansweredLookupStore.QueryKey(lookup.Query)).ToArray());
            command.Parameters.AddWithValue("candidates", NpgsqlDbType.Array | NpgsqlDbType.Text, lookups.Select(lookup => JsonSerializer.Serialize(lookup.CandidateIds)).ToArray());
            command.Parameters.AddWithValue("outcomes", NpgsqlDbType.Array | NpgsqlDbType.Text, lookups.Select(lookup => lookup.Outcome.ToString()).ToArray());
            command.Parameters.AddWithValue("ats", NpgsqlDbType.Array | NpgsqlDbType.Bigint, lookups.Select(lookup => lookup.At.ToUnixTimeMilliseconds()).ToArray());
            await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
    }

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var command = new NpgsqlCommand("DELETE FROM unanswered_lookups WHERE at < @before;", connection);
        command.Parameters.AddWithValue("before", before.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(token);
    }, cancellationToken);

    public Task<UnansweredReport> ReportAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) => database.RunAsync(async (connection, token) =>
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
        var sinceMillis = since.ToUnixTimeMilliseconds();

        int lookups, queries;
        await using (var totals = new NpgsqlCommand("SELECT COUNT(*)::integer, COUNT(DISTINCT query_key)::integer FROM unanswered_lookups WHERE at >= @since;", connection))
        {
            totals.Parameters.AddWithValue("since", sinceMillis);
            await using var reader = await totals.ExecuteReaderAsync(token);
            await reader.ReadAsync(token);
            (lookups, queries) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        var rows = new List<UnansweredReportRow>();
        // The last tie-break compares keys byte by byte ("C"), as SQLite does, whatever the database's collation.
        await using (var grouped = new NpgsqlCommand("""
            WITH recent AS (SELECT * FROM unanswered_lookups WHERE at >= @since),
            groups AS (SELECT query_key, COUNT(*)::integer AS hits, MAX(at) AS last_at FROM recent GROUP BY query_key),
            latest AS (SELECT DISTINCT ON (query_key) query_key, query, outcome, candidates FROM recent ORDER BY query_key, at DESC)
            SELECT g.query_key, g.hits, g.last_at, l.query, l.outcome, l.candidates
            FROM groups g JOIN latest l USING (query_key)
            ORDER BY g.hits DESC, g.last_at DESC, g.query_key COLLATE "C"
            LIMIT @limit;
            """, connection))
        {
            grouped.Parameters.AddWithValue("since", sinceMillis);
            grouped.Parameters.AddWithValue("limit", limit);
            await using var reader = await grouped.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                rows.Add(StorageRows.ReadReportRow(reader));
            }
        }

        await transaction.CommitAsync(token);
        return new UnansweredReport(since, lookups, queries, rows);
    }, cancellationToken);
}
