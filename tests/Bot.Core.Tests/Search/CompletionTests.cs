namespace Bot.Core.Tests.Search;

public class CompletionTests
{
    [Theory]
    [InlineData("clo", "closures")]
    [InlineData("closures", "closures")]
    [InlineData("closurs", "closures")]
    [InlineData("decarator", "decorators")]
    [InlineData("gil", "gil")]
    [InlineData("context man", "context-managers")]
    public void Complete_PartOrTypoOfAName_PutsThatConceptFirst(string partial, string expected) =>
        Assert.Equal(expected, Course.KnowledgeBase.Complete(partial, 25)[0].Id);

    [Fact]
    public void Complete_Blank_ListsConceptsByTitleUpToTheLimit()
    {
        var choices = Course.KnowledgeBase.Complete("  ", 25);

        Assert.Equal(25, choices.Count);
        Assert.Equal(choices.OrderBy(concept => concept.Title, StringComparer.OrdinalIgnoreCase).Select(concept => concept.Id), choices.Select(concept => concept.Id));
    }

    [Theory]
    [InlineData("e", 25)]
    [InlineData("threads slow", 5)]
    [InlineData("zzzzzzzzzzzz", 25)]
    public void Complete_AnyInput_StaysWithinTheLimitWithoutDuplicates(string partial, int limit)
    {
        var choices = Course.KnowledgeBase.Complete(partial, limit);

        Assert.InRange(choices.Count, 0, limit);
        Assert.Equal(choices.Count, choices.Select(concept => concept.Id).Distinct().Count());
    }

    [Fact]
    public void Complete_Question_FindsTheConceptByFullText() =>
        Assert.Contains("gil", Course.KnowledgeBase.Complete("why are python threads slow", 25).Take(3).Select(concept => concept.Id));
}
