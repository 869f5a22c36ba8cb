using Bot.Core.Knowledge;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

/// <summary>
/// A learner query with the concepts a good tutor would show for it (empty: none of this course's),
/// from the labelled sets under <c>Search/Queries</c>. Each set was written by someone who had seen
/// only the concepts' titles and summaries, before the search was tuned on it: the tuning set
/// (<c>tuning.tsv</c>, <c>tuning-2.tsv</c>, <c>tuning-3.tsv</c>, three authors) to set weights and
/// thresholds on; <c>held-out.tsv</c>, and <c>held-out-2.tsv</c> and <c>held-out-3.tsv</c> (written
/// while the asked questions were being added), only to measure. When the course grew from 31 to 83
/// concepts, two more authors wrote 400 queries on the new concepts and on topics the course lacks;
/// each author's half was split at random into <c>tuning-4.tsv</c> (tuned on) and <c>held-out-4.tsv</c>
/// (only measured), and a reader who saw only titles and summaries relabelled the older sets' queries
/// that a new concept answers (94 of 1,310). Two further authors, in the same way, wrote 400 queries
/// for <c>held-out-5.tsv</c> after the search for the larger course was settled; those also found in a
/// tuning set, or twice, were dropped (134), and the rest measured once. Two more authors wrote 400
/// for the sixth pair; after the same dropping (107), the rest was split at random into
/// <c>tuning-6.tsv</c> (used to choose between versions of the content and the search) and
/// <c>held-out-6.tsv</c> (measured once, last). Held-out misses are never listed.
/// </summary>
internal sealed record LabelledQuery(string Query, string Kind, IReadOnlyList<string> Expected, int Line)
{
    public const string TuningSet = "tuning";
    public const string HeldOutSet = "held-out";
    public const string SecondHeldOutSet = "held-out-2";
    public const string ThirdHeldOutSet = "held-out-3";
    public const string SecondTuningSet = "tuning-4";
    public const string FourthHeldOutSet = "held-out-4";
    public const string FifthHeldOutSet = "held-out-5";
    public const string ThirdTuningSet = "tuning-6";
    public const string SixthHeldOutSet = "held-out-6";

    /// <summary>Every query the search may be tuned on: the first tuning set and the one written for the larger course.</summary>
    public static IReadOnlyList<LabelledQuery> AllTuning => [.. Load(TuningSet), .. Load(SecondTuningSet)];

    public static IReadOnlyList<LabelledQuery> Load(string set) => set switch
    {
        TuningSet => [.. LoadFile("tuning.tsv"), .. LoadFile("tuning-2.tsv"), .. LoadFile("tuning-3.tsv")],
        HeldOutSet => LoadFile("held-out.tsv"),
        SecondHeldOutSet => LoadFile("held-out-2.tsv"),
        ThirdHeldOutSet => LoadFile("held-out-3.tsv"),
        SecondTuningSet => LoadFile("tuning-4.tsv"),
        FourthHeldOutSet => LoadFile("held-out-4.tsv"),
        FifthHeldOutSet => LoadFile("held-out-5.tsv"),
        ThirdTuningSet => LoadFile("tuning-6.tsv"),
        SixthHeldOutSet => LoadFile("held-out-6.tsv"),
        _ => throw new ArgumentOutOfRangeException(nameof(set), set, "no such labelled set"),
    };

    private static IReadOnlyList<LabelledQuery> LoadFile(string file)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Bot.Core.Tests", "Search", "Queries", file);
        return [.. File.ReadAllLines(path)
            .Select((line, index) => (Columns: line.Split('\t'), Line: index + 1))
            .Skip(1)
            .Where(row => row.Columns.Length == 3)
            .Select(row => new LabelledQuery(
                row.Columns[2],
                row.Columns[1],
                row.Columns[0] == "none" ? [] : row.Columns[0].Split('|'),
                row.Line))];
    }

    public QueryOutcome Judge(LookupResult result) => result switch
    {
        { Concept: { } shown } when Expected.Contains(shown.Id) => QueryOutcome.ShownRight,
        { Concept: not null } => QueryOutcome.ConfidentlyWrong,
        _ when Expected.Count == 0 => QueryOutcome.UnsureAndRightlySo,
        { Suggestions: [var first, ..] } when Expected.Contains(first.Id) => QueryOutcome.UnsureRightFirst,
        _ => QueryOutcome.Missed,
    };
}

internal enum QueryOutcome
{
    ShownRight,
    ConfidentlyWrong,

    /// <summary>The query is about nothing in the course, and the search said so (suggestions or nothing).</summary>
    UnsureAndRightlySo,

    UnsureRightFirst,
    Missed,
}

/// <summary>How a labelled set fared: the three figures the README reports.</summary>
internal sealed record SearchQuality(int Total, int ShownRight, int ConfidentlyWrong, int RightFirst, IReadOnlyList<(LabelledQuery Query, LookupResult Result, QueryOutcome Outcome)> Judged)
{
    public static SearchQuality Measure(KnowledgeBase knowledgeBase, IReadOnlyList<LabelledQuery> queries) =>
        Measure(knowledgeBase.Lookup, queries);

    public static SearchQuality Measure(Func<string, LookupResult> lookup, IReadOnlyList<LabelledQuery> queries)
    {
        var judged = queries.Select(query =>
        {
            var result = lookup(query.Query);
            return (query, result, query.Judge(result));
        }).ToList();
        return new SearchQuality(
            judged.Count,
            judged.Count(entry => entry.Item3 is QueryOutcome.ShownRight or QueryOutcome.UnsureAndRightlySo),
            judged.Count(entry => entry.Item3 == QueryOutcome.ConfidentlyWrong),
            judged.Count(entry => entry.Item3 == QueryOutcome.UnsureRightFirst),
            judged);
    }

    public override string ToString() =>
        $"{Total} queries: {Percent(ShownRight)} answered right (shown, or rightly unsure when the course has no answer), "
        + $"{Percent(RightFirst)} unsure with the right concept first, {Percent(ConfidentlyWrong)} confidently wrong, "
        + $"{Percent(Total - ShownRight - RightFirst - ConfidentlyWrong)} missed";

    private string Percent(int count) => $"{count} ({100.0 * count / Total:0.0}%)";
}
