using System.Text.Json;
using Bot.Core.Explain;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Storage;

/// <summary>
/// The <c>unanswered_lookups</c> table of the SQLite file. It never creates the file; the
/// <see cref="StorageService"/> does that at start, and the report must not.
/// </summary>
internal sealed class SqliteUnansweredLookupStore : IUnansweredLookupStore
{
    private readonly string _connectionString;

    public SqliteUnansweredLookupStore(string path)
    {
        DatabasePath = Path.GetFullPath(path);
        _connectionString = SqliteDatabase.ConnectionString(DatabasePath, SqliteOpenMode.ReadWrite);
    }

    public string DatabasePath { get; }

    public string Description => DatabasePath;

    /// <summary>Whether the schema has the table yet (a file last opened by an older bot has not).</summary>
    public async Task<bool> HasTableAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'unanswered_lookups';";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    /// <summary>Appends <paramref name="lookups"/> in one transaction.</summary>
    public async Task AddAsync(IReadOnlyList<UnansweredLookup> lookups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lookups);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO unanswered_lookups (query, query_key, candidates, outcome, at)
            VALUES ($query, $key, $candidates, $outcome, $at);
            """;
        var query = command.Parameters.Add("$query", SqliteType.Text);
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var candidates = command.Parameters.Add("$candidates", SqliteType.Text);
        var outcome = command.Parameters.Add("$outcome", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Integer);
        foreach (var lookup in lookups)
        {
            query.Value = lookup.Query;
            key.Value = IUnansweredLookupStore.QueryKey(lookup.Query);
            candidates.Value = JsonSerializer.Serialize(lookup.CandidateIds);
            outcome.Value = lookup.Outcome.ToString();
            at.Value = lookup.At.ToUnixTimeMilliseconds();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes the lookups recorded before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM unanswered_lookups WHERE at < $before;";
        command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The lookups since <paramref name="since"/>, grouped by <see cref="QueryKey"/>, most frequent first
    /// (then most recent); each group shows its latest wording, outcome and suggestions.
    /// </summary>
    public async Task<UnansweredReport> ReportAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: true);
        var sinceMillis = since.ToUnixTimeMilliseconds();

        int lookups, queries;
        await using (var totals = connection.CreateCommand())
        {
            totals.CommandText = "SELECT COUNT(*), COUNT(DISTINCT query_key) FROM unanswered_lookups WHERE at >= $since;";
            totals.Parameters.AddWithValue("$since", sinceMillis);
            await using var reader = await totals.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (lookups, queries) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        var rows = new List<UnansweredReportRow>();
        await using (var grouped = connection.CreateCommand())
        {
            // With exactly one max() in the select, SQLite takes the bare columns (query, outcome, candidates)
            // from the row that holds the maximum: the group's most recent lookup.
            grouped.CommandText = """
                SELECT query_key, COUNT(*) AS hits, MAX(at) AS last_at, query, outcome, candidates
                FROM unanswered_lookups WHERE at >= $since
                GROUP BY query_key
                ORDER BY hits DESC, last_at DESC, query_key
                LIMIT $limit;
                """;
            grouped.Parameters.AddWithValue("$since", sinceMillis);
            grouped.Parameters.AddWithValue("$limit", limit);
            await using var reader = await grouped.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(StorageRows.ReadReportRow(reader));
            }
        }

        return new UnansweredReport(since, lookups, queries, rows);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
