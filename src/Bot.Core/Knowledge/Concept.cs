namespace Bot.Core.Knowledge;

/// <summary>One concept of a course, loaded from <c>content/&lt;course&gt;/&lt;id&gt;.md</c>.</summary>
public sealed record Concept
{
    /// <summary>The file name without <c>.md</c>; unique across all courses.</summary>
    public required string Id { get; init; }

    public required string Course { get; init; }

    public required string Title { get; init; }

    public required string Summary { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// What learners search with that isn't a name of the concept: other languages' terms
    /// ("destructuring"), built-ins and errors it explains. Found by search, never shown, and may be
    /// shared with other concepts (unlike aliases).
    /// </summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>
    /// Questions as learners ask them, in their own words, when this concept is the answer
    /// ("why does my generator give nothing the second time", a pasted error line). Found by
    /// search, never shown; each is matched as a whole, so a query close to one of them is found
    /// even when it shares no name with the concept.
    /// </summary>
    public IReadOnlyList<string> Asked { get; init; } = [];

    /// <summary>Ids of other concepts, each checked to exist when the knowledge base loads.</summary>
    public IReadOnlyList<string> Related { get; init; } = [];

    public string? Level { get; init; }

    /// <summary>The group of the course this concept is listed under (one of its <see cref="CourseInfo.Topics"/>), or null.</summary>
    public string? Topic { get; init; }

    /// <summary>The Markdown after the front matter.</summary>
    public required string Body { get; init; }

    /// <summary>
    /// The body cut at its level-2 headings. The part before the first heading is the definition
    /// and is named "Definition".
    /// </summary>
    public IReadOnlyList<ConceptSection> Sections { get; init; } = [];

    /// <summary>Path of the source file as it was given to the loader, for messages.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The questions of the <c>## Quiz</c> section, which is not one of <see cref="Sections"/>.</summary>
    public IReadOnlyList<QuizQuestion> Questions { get; init; } = [];

    /// <summary>The runnable <c>python</c> blocks of the body (not of the quiz), in file order.</summary>
    public IReadOnlyList<PythonExample> Examples { get; init; } = [];

    public int QuestionCount => Questions.Count;
}

public sealed record ConceptSection(string Heading, string Markdown);
