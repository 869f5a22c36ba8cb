using Xunit.Abstractions;

namespace Bot.Core.Tests.Search;

/// <summary>
/// The search judged on labelled learner queries. The ratchet holds each set's figures at least as
/// good as the last recorded ones; raise them when the search improves.
/// </summary>
public class SearchQualityTests(ITestOutputHelper output)
{
    /// <summary>
    /// Shown right may only rise, confidently wrong only fall, and "shown right or right concept
    /// first" only rise (a query moving from unsure to shown right lowers the right-first count).
    /// </summary>
    [Theory]
    [InlineData(LabelledQuery.TuningSet)]
    [InlineData(LabelledQuery.HeldOutSet)]
    [InlineData(LabelledQuery.SecondHeldOutSet)]
    [InlineData(LabelledQuery.ThirdHeldOutSet)]
    [InlineData(LabelledQuery.SecondTuningSet)]
    [InlineData(LabelledQuery.FourthHeldOutSet)]
    [InlineData(LabelledQuery.FifthHeldOutSet)]
    [InlineData(LabelledQuery.ThirdTuningSet)]
    [InlineData(LabelledQuery.SixthHeldOutSet)]
    public void LabelledQueries_NeverFareWorseThanRecorded(string set)
    {
        var recorded = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "Bot.Core.Tests", "Search", "Queries", "ratchet.tsv"))
            .Select(line => line.Split('\t'))
            .Single(columns => columns[0] == set)
            .Skip(1)
            .Select(int.Parse)
            .ToArray();
        var (shownRight, rightFirst, confidentlyWrong) = (recorded[0], recorded[1], recorded[2]);

        var quality = SearchQuality.Measure(Course.KnowledgeBase, LabelledQuery.Load(set));
        output.WriteLine(quality.ToString());

        // The held-out set's misses are not listed: looking at them would turn it into a tuning set.
        foreach (var (query, result, outcome) in quality.Judged.Where(entry => set is LabelledQuery.TuningSet or LabelledQuery.SecondTuningSet or LabelledQuery.ThirdTuningSet && entry.Outcome is not (QueryOutcome.ShownRight or QueryOutcome.UnsureAndRightlySo)))
        {
            output.WriteLine($"{outcome,-17} {query.Kind,-8} {query.Query,-50} want {string.Join('|', query.Expected),-30} got {result.Kind} {result.Concept?.Id} [{string.Join(", ", result.Suggestions.Select(concept => concept.Id))}]");
        }

        Assert.True(quality.ShownRight >= shownRight, $"shown right fell from {shownRight} to {quality.ShownRight}");
        Assert.True(quality.ConfidentlyWrong <= confidentlyWrong, $"confidently wrong rose from {confidentlyWrong} to {quality.ConfidentlyWrong}");
        Assert.True(quality.ShownRight + quality.RightFirst >= shownRight + rightFirst,
            $"right concept shown or first fell from {shownRight + rightFirst} to {quality.ShownRight + quality.RightFirst}");
    }
}
