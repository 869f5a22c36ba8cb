using Bot.Core.Knowledge;
using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class AskedQuestionsTests
{
    private static readonly Concept[] Concepts =
    [
        Concept("watering", "my plant droops every afternoon", "how often to water a cactus"),
        Concept("light", "my plant leaves turn brown in the sun"),
    ];

    // "plant" is in both concepts' questions, the other words in one: plant counts little, the rest much.
    private static float Rarity(string term) => term == "plant" ? 0.1f : 1f;

    [Fact]
    public void Closeness_QueryIdenticalToAQuestion_IsOneForItsConcept()
    {
        var closeness = Closeness("my plant droops every afternoon");

        Assert.Equal(1f, closeness[0], 3);
        Assert.True(closeness[1] < 0.1f, $"light scored {closeness[1]}");
    }

    [Fact]
    public void Closeness_SharedRareWords_OutweighSharedCommonOnes()
    {
        var closeness = Closeness("plant droops");

        Assert.True(closeness[0] > 3 * closeness[1], $"watering {closeness[0]}, light {closeness[1]}");
    }

    [Fact]
    public void Closeness_ConceptTakesItsClosestQuestion_NotTheSumOfThem()
    {
        // Half of the query is one question and half the other: about two thirds close to each, not more together.
        var closeness = Closeness("my plant droops every afternoon how often to water a cactus");

        Assert.InRange(closeness[0], 0.5f, 0.75f);
    }

    [Fact]
    public void Closeness_MisspeltWord_CountsByTheTypoDiscount()
    {
        var asked = new AskedQuestions(Concepts, Rarity);
        var typed = Terms("cactus water");
        var corrected = typed.Select(term => term with { IsCorrection = term.Term == "cactus" }).ToList();

        var exact = asked.Closeness(typed, QueryWeight(typed), typoDiscount: 0.5f)[0];
        var misspelt = asked.Closeness(corrected, QueryWeight(typed), typoDiscount: 0.5f)[0];

        Assert.True(misspelt < exact, $"misspelt {misspelt}, exact {exact}");
        Assert.True(misspelt > 0, "a corrected word still counts");
    }

    [Fact]
    public void Closeness_WordMatchingByStemAndByItsOwnForm_CountsOnce()
    {
        var asked = new AskedQuestions(Concepts, Rarity);
        var once = Terms("droops");
        var twice = once.Concat(once.Select(term => term with { Term = "droop" })).ToList();

        Assert.Equal(asked.Closeness(once, 1f, 1f)[0], asked.Closeness(twice, 1f, 1f)[0], 3);
    }

    private static Dictionary<int, float> Closeness(string query)
    {
        var terms = Terms(query);
        return new AskedQuestions(Concepts, Rarity).Closeness(terms, QueryWeight(terms), typoDiscount: 0.75f);
    }

    /// <summary>A query's terms as the search hands them over: one word index per word, weighed by rarity.</summary>
    private static List<(int Word, float Share, string Term, bool IsCorrection)> Terms(string query) =>
        [.. SearchTerms.Query(query).DistinctBy(word => word.Term).Select((word, index) => (index, Rarity(word.Term), word.Term, false))];

    private static float QueryWeight(List<(int Word, float Share, string Term, bool IsCorrection)> terms) =>
        terms.DistinctBy(term => term.Word).Sum(term => term.Share);

    private static Concept Concept(string id, params string[] asked) => new()
    {
        Id = id,
        Course = "fixture",
        Title = id,
        Summary = id,
        Body = id,
        SourcePath = id + ".md",
        Asked = asked,
    };
}
