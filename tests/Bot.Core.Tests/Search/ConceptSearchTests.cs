using Bot.Core.Knowledge;
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
    [InlineData("namspaces", "namespaces")]
    [InlineData("name mangeling", "name-mangling")]
    [InlineData("first clas functions", "first-class-functions")] // "class" alone is asked about far more often
    [InlineData("duk typing", "duck-typing")] // "typing" alone is the typing module's
    [InlineData("pur function", "pure-functions")]
    [InlineData("lamda", "lambda")]
    public void Lookup_Misspelling_FindsTheConcept(string query, string expected)
    {
        var result = Course.KnowledgeBase.Lookup(query);

        Assert.Equal(MatchKind.Typo, result.Kind);
        Assert.Equal(expected, result.Concept!.Id);
    }

    /// <summary>"iteratr" is as near iterate and iterating as iterator: the search may hesitate, but its first guess is iterators.</summary>
    [Fact]
    public void Lookup_MisspellingNearSeveralWords_PutsTheClosestConceptFirst() =>
        Assert.Equal("iterators", ShownOrFirst(Course.KnowledgeBase.Lookup("iteratr")));

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

    /// <summary>"what is X" asks what X is: the word "is" must not send it to the concept about the operator.</summary>
    [Theory]
    [InlineData("what is python 3.14t")]
    [InlineData("what is it")]
    public void Lookup_WhatIsSomethingUnknown_IsNotIdentity(string query) =>
        Assert.NotEqual("identity-vs-equality", Course.KnowledgeBase.Lookup(query).Concept?.Id);

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
    public void Lookup_TwoConceptsNamedAlike_SuggestsAtMostFiveRankedConcepts()
    {
        var result = Course.KnowledgeBase.Lookup("generators iterators");

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

    public static TheoryData<string, string> EveryName
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var concept in Course.KnowledgeBase.Concepts)
            {
                foreach (var name in ConceptSearch.Names(concept))
                {
                    data.Add(name, concept.Id);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryName))]
    public void Lookup_EveryTitleAliasAndId_ShowsItsOwnConceptExactly(string name, string id)
    {
        var result = Course.KnowledgeBase.Lookup(name);

        Assert.Equal(MatchKind.Exact, result.Kind);
        Assert.Equal(id, result.Concept!.Id);
    }

    [Theory]
    [MemberData(nameof(EveryName))]
    public void Complete_EveryTitleAliasAndId_RanksItsOwnConceptFirst(string name, string id)
    {
        Assert.Equal(id, Course.KnowledgeBase.Complete(name, 25)[0].Id);
    }

    [Fact]
    public void Lookup_WordInTheCourse_IsNeverReadAsAMisspeltName()
    {
        // "zephyr" is a rare word of the first concept's text and one letter from the second concept's
        // name: the exact word wins, and the typo does not even count.
        var knowledgeBase = Load(
        [
            Fixture("storms", "Storms", "Weather that moves.", "A zephyr is a gentle west wind; a storm is not."),
            Fixture("zephir", "Zephir", "A language that compiles to PHP extensions.", "Nothing about weather here."),
            Fixture("clouds", "Clouds", "Water in the air.", "Clouds come and go with the wind."),
                ]);

        var result = knowledgeBase.Lookup("zephyr");

        Assert.Equal("storms", ShownOrFirst(result));
        Assert.DoesNotContain(result.Suggestions, concept => concept.Id == "zephir");
    }

    [Fact]
    public void Lookup_MisspeltWordAndExactRarerWord_ExactWordDecides()
    {
        var knowledgeBase = Load(
        [
            Fixture("gentle-winds", "Gentle Winds", "Weather that moves.", "A zephyr is a gentle west wind."),
            Fixture("tropical-cyclones", "Tropical Cyclones", "Big weather.", "A hurricane is a cyclone over warm water."),
            Fixture("atlantic-weather", "Atlantic Weather", "Weather by the sea.", "In the Atlantic the hurricane season starts in June."),
        ]);

        // "hurricane" (in two concepts) is misspelt, "zephyr" (in one) is typed right: the exact, rarer word decides.
        var result = knowledgeBase.Lookup("hurricne zephyr");

        Assert.Equal("gentle-winds", ShownOrFirst(result));
    }

    [Theory]
    [InlineData("KeyError", "dictionaries")]
    [InlineData("except ZeroDivisionError:", "exception-handling")]
    [InlineData("UnboundLocalError", "scope")]
    [InlineData("StopIteration", "iterators")]
    [InlineData("__iter__ and __next__", "iterators")]
    [InlineData("lst[::-1]", "slicing")]
    [InlineData("sum(x for x in nums)", "generator-expressions")]
    [InlineData("def f(*args, **kwargs)", "args-and-kwargs")]
    [InlineData("print(*names)", "unpacking")]
    [InlineData("copy.deepcopy", "shallow-vs-deep-copy")]
    [InlineData("nonlocal", "global-and-nonlocal")]
    [InlineData("destructuring assignment", "unpacking")]
    public void Lookup_ErrorNamesDundersCodeAndOtherLanguagesTerms_ShowTheirConcept(string query, string expected)
    {
        var result = Course.KnowledgeBase.Lookup(query);

        Assert.Equal(expected, result.Concept?.Id);
    }

    [Theory]
    [InlineData("javascript promises")]
    [InlineData("@everyone *zzzz*")]
    [InlineData("@here hello")]
    [InlineData("matplotlib plot title")]
    [InlineData("hello")]
    [InlineData("what is a metaclass")]
    [InlineData("dask dataframe")]
    public void Lookup_OutsideTheCourse_ShowsNothing(string query)
    {
        Assert.Null(Course.KnowledgeBase.Lookup(query).Concept);
    }

    [Fact]
    public void Lookup_QueryCloseToAnAskedQuestion_ShowsItsConceptThoughNoOtherTextMatches()
    {
        const string asked = "asked:\n  - \"my plant droops every afternoon\"\n";
        ContentFile[] Course(string wateringHeader) =>
        [
            new("fixture/watering.md", "fixture", "watering", $"---\ntitle: Watering\nsummary: How much water a plant needs.\n{wateringHeader}---\nWater when the soil is dry.\n"),
            Fixture("light", "Light", "Where a plant should stand.", "Afternoon sun burns leaves; every plant likes morning light."),
            Fixture("soil", "Soil", "What a plant grows in.", "Soil holds water and air."),
        ];

        var without = Load(Course(""));
        var with = Load(Course(asked));

        Assert.NotEqual("watering", ShownOrFirst(without.Lookup("plant droops in the afternoon")));
        Assert.Equal("watering", ShownOrFirst(with.Lookup("plant droops in the afternoon")));
    }

    [Fact]
    public void Lookup_OtherLanguagesName_CountsAsAWordTheCourseLacks()
    {
        var knowledgeBase = Load(
        [
            Fixture("futures", "Futures", "Results that arrive later.", "Like a promise in JavaScript, a future holds a result that is not there yet. A promise settles once."),
            Fixture("threads", "Threads", "Running code side by side.", "A thread runs beside the others."),
            Fixture("queues", "Queues", "Passing work between threads.", "A queue hands items from one thread to another."),
        ]);

        var search = new ConceptSearch(knowledgeBase.Concepts);

        // The futures page says "JavaScript", yet the query's "javascript" is not matched: only "promise" is.
        var best = search.Evaluate("javascript promise").Scored!.Ranked[0];
        Assert.Equal("futures", knowledgeBase.Concepts[best.Concept].Id);
        Assert.InRange(best.Coverage, 0.1f, 0.9f);
        Assert.Equal(1f, search.Evaluate("future promise").Scored!.Ranked[0].Coverage);
    }

    [Fact]
    public void Lookup_UnknownNameInCode_DoesNotCountAgainstTheMatch()
    {
        // The learner's own name (zorblax) says nothing about the topic when it stands in code, but an
        // unknown word of prose may be what the query is really about.
        var knowledgeBase = Load(
        [
            Fixture("unpacking", "Unpacking", "Spreading a sequence into arguments.", "```python\nprint(*items)\n```\nA star in a call spreads the items."),
            Fixture("output", "Output", "Writing text out.", "The print function writes its arguments."),
            Fixture("lists", "Lists", "Ordered items.", "A list keeps items in order."),
        ]);

        var search = new ConceptSearch(knowledgeBase.Concepts);

        var inCode = search.Evaluate("print(*zorblax)").Scored!.Ranked[0];
        var inProse = search.Evaluate("print star zorblax").Scored!.Ranked[0];

        Assert.Equal("unpacking", knowledgeBase.Concepts[inCode.Concept].Id);
        Assert.Equal(1f, inCode.Coverage);
        Assert.InRange(inProse.Coverage, 0.1f, 0.9f);
    }

    /// <summary>The concept shown, or else the first suggested: where the search ranks a fixture's concept.</summary>
    private static string? ShownOrFirst(LookupResult result) =>
        result.Concept?.Id ?? (result.Suggestions.Count > 0 ? result.Suggestions[0].Id : null);

    private static KnowledgeBase Load(ContentFile[] files)
    {
        var result = KnowledgeBaseLoader.Load(files);
        Assert.Empty(result.Errors);
        return result.KnowledgeBase!;
    }

    private static ContentFile Fixture(string id, string title, string summary, string body) =>
        new($"fixture/{id}.md", "fixture", id, $"---\ntitle: {title}\nsummary: {summary}\n---\n{body}\n");
}
