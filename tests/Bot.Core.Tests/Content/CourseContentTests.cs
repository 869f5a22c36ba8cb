using Bot.Core.Knowledge;
using Bot.Core.Search;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Content;

/// <summary>The shipped course: valid, complete, and every example true under python3 (or skipped, with a note, when it declares other versions).</summary>
public class CourseContentTests(ITestOutputHelper output)
{
    public static TheoryData<string> ConceptIds => [.. Course.KnowledgeBase.Concepts.Select(concept => concept.Id)];

    [Fact]
    public void Course_Loads_WithoutErrorsAndAtLeast25Concepts()
    {
        Assert.Empty(Course.Result.Errors);
        Assert.True(Course.Result.Concepts.Count >= 25, $"only {Course.Result.Concepts.Count} concepts");
    }

    [Theory]
    [MemberData(nameof(ConceptIds))]
    public async Task Examples_RunUnderPython3_AndPrintTheirOutputBlock(string id)
    {
        var concept = Course.KnowledgeBase.FindById(id)!;
        Assert.NotEmpty(concept.Examples);

        var runner = await Python3.RunnerAsync();
        var results = await runner.RunAllAsync(concept.Examples, CancellationToken.None);

        // xunit 2 cannot skip from inside a test, so skips are reported here and bounded by the test below.
        foreach (var skipped in results.Where(result => result.Status == ExampleStatus.Skipped))
        {
            output.WriteLine(skipped.Describe());
        }

        var failures = results.Where(result => result.Status == ExampleStatus.Failed).Select(result => result.Describe()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Examples_SkippedForThisPython_AreAtMostATenthOfAll()
    {
        var python = (await Python3.RunnerAsync()).Interpreter;
        var examples = Course.KnowledgeBase.Concepts.SelectMany(concept => concept.Examples).ToList();

        var skipped = examples.Select(example => (example, note: python.SkipNote(example))).Where(entry => entry.note is not null).ToList();

        Assert.True(skipped.Count * 10 <= examples.Count,
            $"{skipped.Count} of {examples.Count} examples cannot run under {python.Command} {python.Version}:\n"
            + string.Join("\n", skipped.Select(entry => $"{entry.example.Path}:{entry.example.Line}: {entry.note}")));
    }

    [Theory]
    [MemberData(nameof(ConceptIds))]
    public void Concept_HasDefinitionExamplePitfallsAndSeeAlso_InOrder(string id)
    {
        var concept = Course.KnowledgeBase.FindById(id)!;
        var headings = concept.Sections.Select(section => section.Heading).ToList();

        Assert.Equal("Definition", headings[0]);
        var example = headings.FindIndex(heading => heading.StartsWith("Example", StringComparison.Ordinal));
        var pitfalls = headings.IndexOf("Pitfalls");
        var seeAlso = headings.IndexOf("See also");
        Assert.True(example > 0 && pitfalls > example && seeAlso > pitfalls, $"{id}: sections are {string.Join(", ", headings)}");
        Assert.InRange(concept.Related.Count, 2, 6);
        Assert.InRange(concept.Summary.Length, 20, 320);
    }

    /// <summary>Every topic the course must cover, as a learner would ask for it.</summary>
    [Theory]
    [InlineData("LEGB"), InlineData("namespaces"), InlineData("global"), InlineData("nonlocal"), InlineData("name mangling")]
    [InlineData("*args"), InlineData("**kwargs"), InlineData("unpacking"), InlineData("decorators"), InlineData("iterators")]
    [InlineData("generators"), InlineData("generator expressions"), InlineData("context managers"), InlineData("module attributes")]
    [InlineData("function attributes"), InlineData("slicing"), InlineData("regular expressions"), InlineData("exception handling")]
    [InlineData("GIL"), InlineData("bytecode"), InlineData("concurrency vs parallelism"), InlineData("threading"), InlineData("multiprocessing")]
    [InlineData("asyncio"), InlineData("process vs thread"), InlineData("shallow copy"), InlineData("deep copy"), InlineData("duck typing")]
    [InlineData("imperative vs declarative"), InlineData("pure functions"), InlineData("higher-order functions")]
    [InlineData("first-class functions"), InlineData("functional vs procedural"), InlineData("closures")]
    public void Course_CoversTopic(string topic)
    {
        var result = Course.KnowledgeBase.Lookup(topic);

        Assert.True(result.Kind is MatchKind.Exact or MatchKind.Typo or MatchKind.Phrase, $"'{topic}' resolved as {result.Kind}");
    }

    /// <summary>Every concept says how learners ask for it, so phrasings far from its text still find it (the loader checks each question has one concept).</summary>
    [Fact]
    public void Course_EveryConcept_HasAtLeast20AskedQuestions()
    {
        Assert.All(Course.KnowledgeBase.Concepts, concept => Assert.True(concept.Asked.Count >= 20, $"{concept.Id} has {concept.Asked.Count} asked questions"));
    }
}
