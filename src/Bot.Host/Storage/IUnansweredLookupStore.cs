using System.Text;
using Bot.Core.Explain;

namespace Bot.Host.Storage;

/// <summary>
/// The <c>unanswered_lookups</c> table: appended to in batches by <see cref="UnansweredLookupWriter"/>, pruned by
/// age, grouped for <c>bot search-report</c>.
/// </summary>
internal interface IUnansweredLookupStore
{
    /// <summary>What to call the database in a message (never with a password).</summary>
    string Description { get; }

    /// <summary>The grouping key of a query: lower case, runs of white space collapsed to one space.</summary>
    static string QueryKey(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = new StringBuilder(query.Length);
        foreach (var character in query.Trim())
        {
            if (char.IsWhiteSpace(character))
            {
                if (key.Length > 0 && key[^1] != ' ')
                {
                    key.Append(' ');
                }
            }
            else
            {
                key.Append(char.ToLowerInvariant(character));
            }
        }

        return key.ToString();
    }

    /// <summary>Whether the schema has the table yet (a database last opened by an older bot has not).</summary>
    Task<bool> HasTableAsync(CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="lookups"/> in one transaction.</summary>
    Task AddAsync(IReadOnlyList<UnansweredLookup> lookups, CancellationToken cancellationToken);

    /// <summary>Deletes the lookups recorded before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>
    /// The lookups since <paramref name="since"/>, grouped by <see cref="QueryKey"/>, most frequent first
    /// (then most recent); each group shows its latest wording, outcome and suggestions.
    /// </summary>
    Task<UnansweredReport> ReportAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);
}

/// <summary>What <c>bot search-report</c> shows.</summary>
/// <param name="Since">The start of the window.</param>
/// <param name="Lookups">Every miss in the window.</param>
/// <param name="Queries">Distinct queries (by key) in the window; <paramref name="Rows"/> may show fewer.</param>
internal sealed record UnansweredReport(DateTimeOffset Since, int Lookups, int Queries, IReadOnlyList<UnansweredReportRow> Rows);

/// <param name="Query">The latest wording of the query.</param>
/// <param name="Candidates">The concepts suggested the last time, best first.</param>
internal sealed record UnansweredReportRow(string Query, int Count, DateTimeOffset LastSeen, UnansweredOutcome Outcome, IReadOnlyList<string> Candidates);
