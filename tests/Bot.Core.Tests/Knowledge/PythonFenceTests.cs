using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Knowledge;

public class PythonFenceTests
{
    private const string Header = "---\ntitle: Lists\nsummary: Ordered and mutable.\n---\nA list holds items.\n\n## Example\n\n";

    /// <summary>Line of the first fence after <see cref="Header"/>: four front-matter lines, the definition, two blank lines and a heading.</summary>
    private const int FirstFenceLine = 9;

    [Fact]
    public void Load_ExamplesFixture_FindsBodyExamplesWithFileLinesAndOutputBlocks()
    {
        var concept = Assert.Single(KnowledgeBaseLoader.LoadDirectory(RepoPaths.Fixture("examples")).Concepts);

        Assert.Equal([9, 17, 23, 34, 38], concept.Examples.Select(example => example.Line));
        Assert.All(concept.Examples, example => Assert.Equal(concept.SourcePath, example.Path));
        Assert.Equal("print(\"passes\")", concept.Examples[0].Code);
        Assert.Equal("passes", concept.Examples[0].ExpectedOutput);
        Assert.Null(concept.Examples[1].ExpectedOutput);
        Assert.Equal(new PythonVersion(3, 99), concept.Examples[3].MinVersion);
        Assert.True(concept.Examples[4].StartsProcesses);
        Assert.False(concept.Examples[0].StartsProcesses);
    }

    [Theory]
    [InlineData("python min=3.13", "3.13", null)]
    [InlineData("python max=3.12", null, "3.12")]
    [InlineData("python min=3.11 max=3.12", "3.11", "3.12")]
    [InlineData("python   max=3.14  min=3.9", "3.9", "3.14")]
    public void Load_VersionAttributes_AreReadAsInclusiveBounds(string info, string? min, string? max)
    {
        var example = Assert.Single(LoadOne($"{Header}```{info}\nprint(1)\n```\n").Examples);

        Assert.Equal(min, example.MinVersion?.ToString());
        Assert.Equal(max, example.MaxVersion?.ToString());
    }

    [Fact]
    public void Load_NoRunFence_IsNotAnExample()
    {
        var concept = LoadOne($"{Header}```python no-run\nwhile True: pass\n```\n\n```python\nprint(2)\n```\n");

        Assert.Equal("print(2)", Assert.Single(concept.Examples).Code);
    }

    [Theory]
    [InlineData("python min=three", "'min=three' on the python fence: 'three' is not a version; write min=major.minor, e.g. min=3.13")]
    [InlineData("python mn=3.12", "unknown attribute 'mn=3.12' on the python fence: use no-run, min=3.13 or max=3.12")]
    [InlineData("python norun", "unknown attribute 'norun' on the python fence: use no-run")]
    [InlineData("python min=3", "'min=3' on the python fence: '3' is not a version")]
    [InlineData("python max=3.12.1", "'max=3.12.1' on the python fence: '3.12.1' is not a version")]
    [InlineData("python min=", "'min=' on the python fence: '' is not a version")]
    [InlineData("python min=3.13 max=3.12", "min=3.13 is above max=3.12 on the python fence, so no Python can run it")]
    [InlineData("python min=3.12 min=3.13", "'min=' is given twice on the python fence")]
    public void Load_MalformedAttribute_IsAContentErrorAtTheFenceLine(string info, string message)
    {
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a", $"{Header}```{info}\nprint(1)\n```\n")]);

        var error = Assert.Single(result.Errors);
        Assert.Equal(FirstFenceLine, error.Line);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("3.11", null, null, null)]
    [InlineData("3.11", "3.11", null, null)]
    [InlineData("3.11", "3.13", null, "needs Python ≥ 3.13; python3 is 3.11")]
    [InlineData("3.14", null, "3.12", "needs Python ≤ 3.12; python3 is 3.14")]
    [InlineData("3.12", null, "3.12", null)]
    [InlineData("3.10", "3.9", "3.12", null)]
    [InlineData("3.9", "3.10", "3.12", "needs Python ≥ 3.10; python3 is 3.9")]
    public void SkipNote_VersionOutsideTheRange_SaysWhatIsNeeded(string version, string? min, string? max, string? note)
    {
        var interpreter = new PythonInterpreter("python3", Version(version), ["fork"]);
        var example = new PythonExample("a.md", 1, "print(1)", null, min is null ? null : Version(min), max is null ? null : Version(max));

        Assert.Equal(note, interpreter.SkipNote(example));
    }

    [Theory]
    [InlineData("3.13", true)]
    [InlineData("10.0", true)]
    [InlineData("3", false)]
    [InlineData("3.x", false)]
    [InlineData("3.13.1", false)]
    [InlineData("-3.1", false)]
    [InlineData(" 3.1", false)]
    public void TryParse_Text_AcceptsOnlyMajorDotMinor(string text, bool valid)
    {
        Assert.Equal(valid, PythonVersion.TryParse(text, out _));
    }

    private static PythonVersion Version(string text) => PythonVersion.TryParse(text, out var version) ? version : throw new ArgumentException(text);

    private static Concept LoadOne(string text)
    {
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a", text)]);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Concepts);
    }
}
