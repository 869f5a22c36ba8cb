using Bot.Core.Search;

namespace Bot.Core.Tests.Content;

/// <summary>The shipped course: valid, complete, and every example true under python3.</summary>
public class CourseContentTests
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
        var examples = PythonExample.In(concept).ToList();
        Assert.NotEmpty(examples);

        foreach (var example in examples)
        {
            var (exitCode, stdout, stderr) = await example.RunAsync();

            Assert.True(exitCode == 0, $"{concept.SourcePath}: the python block at body line {example.Line} exited {exitCode}:\n{stderr}");
            if (example.ExpectedOutput is not null)
            {
                Assert.Equal(example.ExpectedOutput.TrimEnd(), stdout.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd());
            }
        }
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
}
