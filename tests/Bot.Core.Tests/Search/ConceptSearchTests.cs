using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class ConceptSearchTests
{
    [Theory]
    [InlineData("closures", "closures")]
    [InlineData("Closures", "closures")]
    [InlineData("  CLOSURES!  ", "closures")]
    [InlineData("generator-expressions", "generator-expressions")]
    [InlineData("*args", "args-and-kwargs")]
    [InlineData("args", "args-and-kwargs")]
    [InlineData("**kwargs", "args-and-kwargs")]
    [InlineData("Deep Copy", "shallow-vs-deep-copy")]
    [InlineData("deepcopy", "shallow-vs-deep-copy")]
    [InlineData("global interpreter lock", "gil")]
    [InlineData("LEGB", "scope")]
    [InlineData("yield", "generators")]
    public void Lookup_IdTitleOrAliasInAnyCaseOrPunctuation_IsExact(string query, string expected)
    {
        var result = Course.KnowledgeBase.Lookup(query);

        Assert.Equal(MatchKind.Exact, result.Kind);
        Assert.Equal(expected, result.Concept!.Id);
    }

    [Theory]
    [InlineData("closurs", "closures")]
    [InlineData("decarator", "decorators")]
    [InlineData("genrators", "generators")]
    [InlineData("iteratr", "iterators")]
    [InlineData("name mangeling", "name-mangling")]
    public void Lookup_Misspelling_FindsTheConcept(string query, string expected)
    {
        var result = Course.KnowledgeBase.Lookup(query);

        Assert.Equal(MatchKind.Typo, result.Kind);
        Assert.Equal(expected, result.Concept!.Id);
    }

    [Theory]
    [InlineData("why are python threads slow", "gil")]
    [InlineData("how do I copy a nested list", "shallow-vs-deep-copy")]
    [InlineData("what does the with statement do", "context-managers")]
    public void Lookup_Question_FindsTheConceptByFullText(string query, string expected)
    {
        var result = Course.KnowledgeBase.Lookup(query);

        Assert.NotNull(result.Concept);
        Assert.Equal(expected, result.Concept.Id);
    }

    [Theory]
    [InlineData("xyzzy plugh")]
    [InlineData("qqqqqq")]
    public void Lookup_Unknown_IsUnsureWithoutAConcept(string query)
    {
        var result = Course.KnowledgeBase.Lookup(query);

        Assert.Equal(MatchKind.Unsure, result.Kind);
        Assert.Null(result.Concept);
        Assert.Empty(result.Suggestions);
    }

    [Fact]
    public void Lookup_AmbiguousWord_SuggestsAtMostFiveRankedConcepts()
    {
        var result = Course.KnowledgeBase.Lookup("programming");

        Assert.Equal(MatchKind.Unsure, result.Kind);
        Assert.InRange(result.Suggestions.Count, 2, ConceptSearch.MaxSuggestions);
        Assert.Equal(result.Suggestions.Count, result.Suggestions.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!")]
    public void Lookup_Blank_IsBlank(string query)
    {
        Assert.Equal(MatchKind.Blank, Course.KnowledgeBase.Lookup(query).Kind);
    }
}
