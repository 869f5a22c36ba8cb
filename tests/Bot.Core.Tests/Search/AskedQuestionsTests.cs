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

        var exact = asked.WordCloseness(typed, QueryWeight(typed), typoDiscount: 0.5f)[0];
        var misspelt = asked.WordCloseness(corrected, QueryWeight(typed), typoDiscount: 0.5f)[0];

        Assert.True(misspelt < exact, $"misspelt {misspelt}, exact {exact}");
        Assert.True(misspelt > 0, "a corrected word still counts");
    }

    [Fact]
    public void Closeness_WordMatchingByStemAndByItsOwnForm_CountsOnce()
    {
        var asked = new AskedQuestions(Concepts, Rarity);
        var once = Terms("droops");
        var twice = once.Concat(once.Select(term => term with { Term = "droop" })).ToList();

        Assert.Equal(asked.WordCloseness(once, 1f, 1f)[0], asked.WordCloseness(twice, 1f, 1f)[0], 3);
    }

    [Fact]
    public void TextCloseness_QueryTypedAsAQuestion_IsOneForItsConcept()
    {
        var closeness = new AskedQuestions(Concepts, Rarity).TextCloseness("My plant DROOPS every afternoon!");

        Assert.Equal(1f, closeness[0], 3);
        Assert.True(closeness[1] < 0.5f, $"light scored {closeness[1]}");
    }

    [Fact]
    public void TextCloseness_KeepsWhatWordsDrop_QuestionWordsAndMisspellings()
    {
        Concept[] concepts =
        [
            Concept("declarative", "say what you want, not how to get it"),
            Concept("speech", "say hello to everyone"),
        ];
        var asked = new AskedQuestions(concepts, Rarity);

        var phrase = asked.TextCloseness("want what not how");
        var misspelt = asked.TextCloseness("say helo to everyon");

        Assert.True(phrase[0] > 2 * phrase.GetValueOrDefault(1), $"declarative {phrase[0]}, speech {phrase.GetValueOrDefault(1)}");
        Assert.True(misspelt[1] > 0.5f && misspelt[1] > 2 * misspelt.GetValueOrDefault(0), $"speech {misspelt[1]}, declarative {misspelt.GetValueOrDefault(0)}");
    }

    [Fact]
    public void Closeness_OneLookupAfterAnother_LeavesNothingBehind()
    {
        var terms = Terms("plant droops");
        var text = new AskedQuestions(Concepts, Rarity).TextCloseness("plant droops");
        var words = new AskedQuestions(Concepts, Rarity).WordCloseness(terms, QueryWeight(terms), 0.75f);

        var used = new AskedQuestions(Concepts, Rarity);
        for (var round = 0; round < 3; round++)
        {
            used.TextCloseness("my plant leaves turn brown in the sun");
            used.WordCloseness(Terms("water cactus plant"), 2f, 0.75f);
        }

        Assert.Equal(words, used.WordCloseness(terms, QueryWeight(terms), 0.75f));
        Assert.Equal(text, used.TextCloseness("plant droops"));
    }

    [Fact]
    public void AddTrigrams_LowerCasedWordsWithOneSpaceBetweenAndAtTheEnds()
    {
        Assert.Equal([" co", " de", "cop", "dee", "eep", "ep ", "opy", "p c", "py "], Trigrams("Deep-copy!"));
        Assert.Equal([" _a", "_a_", "a_ "], Trigrams("_a_"));
        Assert.Equal([" λx", "λx "], Trigrams("ΛX"));
        Assert.Empty(Trigrams("?!"));
    }

    private static List<string> Trigrams(string text)
    {
        var trigrams = new HashSet<long>();
        AskedQuestions.AddTrigrams(text, trigrams);
        return [.. trigrams.Select(AskedQuestions.TrigramText).Order(StringComparer.Ordinal)];
    }

    private static Dictionary<int, float> Closeness(string query)
    {
        var terms = Terms(query);
        return new AskedQuestions(Concepts, Rarity).WordCloseness(terms, QueryWeight(terms), typoDiscount: 0.75f);
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
