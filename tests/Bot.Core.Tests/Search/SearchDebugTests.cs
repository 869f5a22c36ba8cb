using Bot.Core.Search;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Search;

public class SearchDebugTests(ITestOutputHelper output)
{
    [Fact]
    public void Debug()
    {
        var queries = (Environment.GetEnvironmentVariable("DEBUG_QUERIES") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
        var search = new ConceptSearch(Course.KnowledgeBase.Concepts);
        foreach (var query in queries)
        {
            output.WriteLine($"## {query}: terms {string.Join(' ', SearchTerms.Query(query).Select(word => word.Surface is null ? word.Term : $"{word.Term}/{word.Surface}"))}");
            var evaluation = search.Evaluate(query);
            if (evaluation.Scored is { } scored)
            {
                foreach (var candidate in scored.Ranked.Take(4))
                {
                    output.WriteLine($"   {Course.KnowledgeBase.Concepts[candidate.Concept].Id,-35} score {candidate.Score,6:0.00} strength {candidate.Score / scored.QueryWeight,5:0.00} coverage {candidate.Coverage,5:0.00} typo {candidate.TypoScore:0.00}");
                }
            }
        }

        Assert.NotNull(search);
    }
}
