namespace Bot.Core.Knowledge;

public enum QuizDifficulty
{
    Easy,
    Medium,
    Hard,
}

/// <summary>
/// One multiple-choice question from a concept's <c>## Quiz</c> section.
/// </summary>
/// <param name="Id">
/// <c>&lt;concept id&gt;:&lt;hash&gt;</c>, a hash of the question text and choices, so it survives
/// reordering and edits elsewhere in the file; rewording the question makes it a new question.
/// </param>
/// <param name="Question">The heading: the question itself, as inline Markdown.</param>
/// <param name="Prompt">Markdown blocks (paragraphs, code) between the heading and the choices; may be empty.</param>
/// <param name="Choices">3 or 4 choices as inline Markdown, in the author's order.</param>
/// <param name="Explanation">Why the answer is right and the tempting one wrong, as Markdown.</param>
/// <param name="Code">For "What does this print?" questions, the program whose output is the answer.</param>
public sealed record QuizQuestion(
    string Id,
    string ConceptId,
    string Question,
    string Prompt,
    IReadOnlyList<string> Choices,
    int CorrectIndex,
    string Explanation,
    QuizDifficulty Difficulty,
    int Line,
    string? Code)
{
    public const int MinChoices = 3;
    public const int MaxChoices = 4;

    /// <summary>Discord caps a button label at 80 characters; Slack's button text is longer.</summary>
    public const int MaxChoiceLength = 80;

    public const int MaxQuestionLength = 200;
    public const int MaxPromptLength = 1000;
    public const int MaxExplanationLength = 1000;

    public const string OutputQuestionPrefix = "What does this print";

    public string CorrectChoice => Choices[CorrectIndex];

    public bool IsOutputQuestion => Code is not null;
}
