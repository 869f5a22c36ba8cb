using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Knowledge;

public class KnowledgeBaseLoaderTests
{
    [Fact]
    public void LoadDirectory_ValidFixture_ReadsEveryField()
    {
        var result = KnowledgeBaseLoader.LoadDirectory(RepoPaths.Fixture("valid"));

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        Assert.Equal(["closures", "decorators", "scope"], result.Concepts.Select(concept => concept.Id).Order());
        var closures = result.KnowledgeBase!.FindById("closures")!;
        Assert.Equal("python", closures.Course);
        Assert.Equal("Closures", closures.Title);
        Assert.Equal("A closure is a function that keeps the variables of the scope it was defined in.", closures.Summary);
        Assert.Equal(["closure", "lexical closure"], closures.Aliases);
        Assert.Equal(["functions"], closures.Tags);
        Assert.Equal(["captured variable", "__closure__"], closures.Keywords);
        Assert.Equal(["why do all my lambdas return the last value", "NameError: cannot access free variable 'x'"], closures.Asked);
        Assert.Equal(["scope", "decorators"], closures.Related);
        Assert.Equal("intermediate", closures.Level);
        Assert.StartsWith("A **closure** is a function object", closures.Body, StringComparison.Ordinal);
        Assert.Equal(["Definition", "Example", "Pitfalls", "See also"], closures.Sections.Select(section => section.Heading));
        Assert.StartsWith("```python\ndef make_adder", closures.Sections[1].Markdown, StringComparison.Ordinal);
        Assert.Equal("- Late binding in loops.", closures.Sections[2].Markdown);
    }

    [Theory]
    [InlineData("invalid-yaml", "python/scope.md", 5, "invalid YAML:")]
    [InlineData("missing-title", "python/scope.md", 1, "missing title")]
    [InlineData("missing-summary", "python/scope.md", 1, "missing summary")]
    [InlineData("missing-front-matter", "python/decorators.md", 1, "missing front matter")]
    [InlineData("unknown-key", "python/scope.md", 5, "unknown front-matter key 'tag'")]
    [InlineData("duplicate-id", "python/scope.md", 1, "duplicate id 'scope': ")]
    [InlineData("duplicate-alias", "python/scope.md", 4, "duplicate alias 'LEGB rule': the alias of 'closures' (")]
    [InlineData("unknown-related", "python/closures.md", 6, "related 'decorator' names no concept (related takes concept ids, the file names without .md); did you mean 'decorators'?")]
    [InlineData("empty-body", "python/decorators.md", 7, "empty body")]
    [InlineData("unclosed-fence", "python/scope.md", 19, "code fence opened here is never closed: add a line with ``` after the code")]
    [InlineData("fence-attribute", "python/scope.md", 12, "'min=three' on the python fence: 'three' is not a version; write min=major.minor, e.g. min=3.13")]
    public void LoadDirectory_BrokenFixture_ReportsOneErrorWithPathAndLine(string fixture, string path, int line, string message)
    {
        var root = RepoPaths.Fixture(Path.Combine("broken", fixture));

        var result = KnowledgeBaseLoader.LoadDirectory(root);

        Assert.False(result.IsValid);
        Assert.Null(result.KnowledgeBase);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, Path.GetRelativePath(root, error.Path));
        Assert.Equal(line, error.Line);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal($"{error.Path}:{line}: {error.Message}", error.ToString());
    }

    [Fact]
    public void LoadDirectory_BrokenFixture_StillListsTheConceptsThatParsed()
    {
        var result = KnowledgeBaseLoader.LoadDirectory(RepoPaths.Fixture(Path.Combine("broken", "missing-title")));

        Assert.Equal(["closures", "decorators"], result.Concepts.Select(concept => concept.Id).Order());
    }

    [Fact]
    public void LoadDirectory_MissingDirectory_ReportsThePath()
    {
        var root = Path.Combine(Path.GetTempPath(), "no-such-content-" + Guid.NewGuid());

        var result = KnowledgeBaseLoader.LoadDirectory(root);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{root}: content directory not found: create it or set Content:Path", error.ToString());
    }

    [Theory]
    [InlineData("---\ntitle: A\nsummary: B\n", "front matter is never closed")]
    [InlineData("---\ntitle: [A, B]\nsummary: B\n---\nBody.\n", "title must be text")]
    [InlineData("---\ntitle:\nsummary: B\n---\nBody.\n", "title is empty")]
    [InlineData("---\ntitle: A\nsummary: 'B\n---\nBody.\n", "invalid YAML:")]
    [InlineData("---\ntitle: A\nsummary: B\nlevel: expert\n---\nBody.\n", "level 'expert' is not one of: beginner, intermediate, advanced")]
    [InlineData("---\ntitle: A\nsummary: B\naliases: {a: b}\n---\nBody.\n", "aliases must be a list")]
    [InlineData("---\ntitle: A\nsummary: B\naliases: ['***']\n---\nBody.\n", "alias '***' has no letters or digits")]
    [InlineData("---\ntitle: A\nsummary: B\nrelated: [a]\n---\nBody.\n", "related lists 'a', the concept itself")]
    public void Load_OtherMistakes_AreReportedClearly(string text, string message)
    {
        var result = KnowledgeBaseLoader.Load([new ContentFile("course/a.md", "course", "a", text)]);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// One broken file does not hide the rest: an unclosed fence still leaves its front matter checked against the
    /// other files, broken YAML still leaves its quiz checked, and links to either file still count as links.
    /// </summary>
    [Fact]
    public void Load_BrokenFiles_StillHaveEveryOtherProblemReportedInOnePass()
    {
        var result = KnowledgeBaseLoader.Load(
        [
            new ContentFile("c/a.md", "c", "a", "---\ntitle: Deep copy\nsummary: S\nrelated: [b, c, d]\n---\nBody.\n"),
            new ContentFile("c/b.md", "c", "b", "---\ntitle: B\nsummary: S\naliases: [deep-copy]\nrelated: [nowhere]\n---\nBody.\n\n```python\nprint(1)\n"),
            new ContentFile("c/c.md", "c", "c", "---\ntitle: [C\nsummary: S\n---\nBody.\n\n## Quiz\n\n### Which?\n\n- [ ] one\n- [ ] two\n"),
        ]);

        Assert.Null(result.KnowledgeBase);
        Assert.Equal(
        [
            "c/a.md:4: related 'd' names no concept (related takes concept ids, the file names without .md); did you mean 'a'?",
            "c/b.md:4: duplicate alias 'deep-copy': the title of 'a' (c/a.md:2) reads the same ignoring case, spaces and punctuation",
            "c/b.md:5: related 'nowhere' names no concept (related takes concept ids, the file names without .md)",
            "c/b.md:9: code fence opened here is never closed: add a line with ``` after the code",
        ], result.Errors.Where(error => error.Path != "c/c.md").Select(error => error.ToString()));
        Assert.Contains(result.Errors, error => error.Path == "c/c.md" && error.Message.StartsWith("invalid YAML", StringComparison.Ordinal));
        Assert.Contains(result.Errors, error => error.Path == "c/c.md" && error.Line > 5 && !error.Message.StartsWith("invalid YAML", StringComparison.Ordinal));
        Assert.Equal(["a"], result.Concepts.Select(concept => concept.Id));
    }

    [Fact]
    public void Load_TitleOfOneConceptIsAliasOfAnother_IsADuplicate()
    {
        var result = KnowledgeBaseLoader.Load(
        [
            new ContentFile("c/a.md", "c", "a", "---\ntitle: Deep copy\nsummary: S\n---\nBody.\n"),
            new ContentFile("c/b.md", "c", "b", "---\ntitle: Copying\nsummary: S\naliases: [deep-copy]\n---\nBody.\n"),
        ]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("c/b.md:4: duplicate alias 'deep-copy': the title of 'a' (c/a.md:2) reads the same ignoring case, spaces and punctuation", error.ToString());
    }

    [Fact]
    public void Load_SameAskedQuestionForTwoConcepts_IsAnErrorAtTheSecond()
    {
        var result = KnowledgeBaseLoader.Load(
        [
            new ContentFile("c/a.md", "c", "a", "---\ntitle: A\nsummary: S\nasked:\n  - \"why is my list empty?\"\n---\nBody.\n"),
            new ContentFile("c/b.md", "c", "b", "---\ntitle: B\nsummary: S\nasked:\n  - \"other question\"\n  - \"Why is my list EMPTY\"\n---\nBody.\n"),
        ]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("c/b.md:6: asked question 'Why is my list EMPTY' is also asked for 'a' (c/a.md:5); keep it only where a tutor would send the learner", error.ToString());
    }

    [Fact]
    public void Load_AskedQuestionListedTwice_IsAnError()
    {
        var result = KnowledgeBaseLoader.Load(
        [
            new ContentFile("c/a.md", "c", "a", "---\ntitle: A\nsummary: S\nasked: [why is my list empty, why is my list empty]\n---\nBody.\n"),
        ]);

        var error = Assert.Single(result.Errors);
        Assert.Equal("c/a.md:4: asked question 'why is my list empty' is listed twice (c/a.md:4); remove one", error.ToString());
    }

    private static ContentFile Concept(string id, string? topic, string level = "beginner", string title = "") =>
        new($"c/{id}.md", "c", id, $"---\ntitle: {(title.Length > 0 ? title : id.ToUpperInvariant())}\nsummary: S\nlevel: {level}\n{(topic is null ? "" : $"topic: {topic}\n")}---\nBody.\n");

    [Fact]
    public void Load_CourseFile_NamesTheCourseAndOrdersTopicsWithConceptsByLevelThenTitle()
    {
        var result = KnowledgeBaseLoader.Load(
            [Concept("a", "Later", "advanced"), Concept("b", "Later", "beginner", "Zeta"), Concept("c", "First"), Concept("d", null), Concept("e", "Later", "beginner", "Alpha")],
            [new CourseFile("c/course.yaml", "c", "title: The C Course\ntopics:\n  - First\n  - Later\n  - Unused\n")]);

        Assert.Empty(result.Errors);
        var course = Assert.Single(result.KnowledgeBase!.Courses);
        Assert.Equal(("c", "The C Course"), (course.Id, course.Title));
        Assert.Equal(["First", "Later", "Unused"], course.Topics);
        var outline = Assert.Single(result.KnowledgeBase.Outline());
        Assert.Equal(["First", "Later", CourseInfo.OtherTopics], outline.Topics.Select(group => group.Topic));
        Assert.Equal(["e", "b", "a"], outline.Topics[1].Concepts.Select(concept => concept.Id));
        Assert.Equal(["d"], outline.Topics[2].Concepts.Select(concept => concept.Id));
    }

    [Fact]
    public void Load_NoCourseFile_NamesTheCourseAfterItsFolderAndSortsItsTopics()
    {
        var result = KnowledgeBaseLoader.Load([Concept("a", "Zebras"), Concept("b", "Apes")]);

        var course = Assert.Single(result.KnowledgeBase!.Courses);
        Assert.Equal("C", course.Title);
        Assert.Equal(["Apes", "Zebras"], course.Topics);
    }

    [Theory]
    [InlineData("title: C\ntopics: [First, First]\n", "c/course.yaml:2: topic 'First' is listed twice; remove one")]
    [InlineData("title: C\ntopics: First\n", "c/course.yaml:2: topics must be a list such as [Basics, Functions]")]
    [InlineData("title: C\nchapters: [First]\n", "c/course.yaml:2: unknown course key 'chapters': use one of title, topics")]
    [InlineData("title: [C]\ntopics: [First]\n", "c/course.yaml:1: title must be the course's name as text")]
    [InlineData("- First\n", "c/course.yaml:1: a course file holds keys such as title: Python and topics: [first, second]")]
    public void Load_MistakeInCourseFile_IsReportedAtItsLine(string text, string expected)
    {
        var result = KnowledgeBaseLoader.Load([Concept("a", null)], [new CourseFile("c/course.yaml", "c", text)]);

        Assert.False(result.IsValid);
        Assert.Equal(expected, Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Load_TopicTheCourseFileDoesNotList_IsAnErrorAtTheConceptsTopicLine()
    {
        var result = KnowledgeBaseLoader.Load([Concept("a", "Frist")], [new CourseFile("c/course.yaml", "c", "title: C\ntopics: [First, Second]\n")]);

        Assert.Equal("c/a.md:5: topic 'Frist' is not one of the topics in c/course.yaml (First, Second); pick one or add it there", Assert.Single(result.Errors).ToString());
    }
}
