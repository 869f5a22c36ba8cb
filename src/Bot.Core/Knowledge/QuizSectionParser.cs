using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Knowledge;

/// <summary>
/// Reads the <c>## Quiz</c> section of a concept file. Each question is a <c>###</c> heading, optional
/// prompt blocks, one task list of choices (<c>- [x]</c> marks the answer), a <c>&gt;</c> blockquote
/// explaining it, and a <c>Difficulty:</c> line. The README's authoring guide documents the format.
/// </summary>
internal static partial class QuizSectionParser
{
    public const string SectionHeading = "Quiz";

    private static readonly string Difficulties = string.Join(", ", Enum.GetNames<QuizDifficulty>().Select(name => name.ToLowerInvariant()));

    public static List<QuizQuestion> Parse(ContentFile file, string conceptId, IReadOnlyList<Block> blocks, string text, List<ContentError> errors)
    {
        var questions = new List<QuizQuestion>();
        QuestionDraft? draft = null;
        foreach (var block in blocks)
        {
            if (block is HeadingBlock { Level: 3 } heading)
            {
                Finish();
                draft = new QuestionDraft(heading.Line + 1, InlineMarkdown(heading, text));
                continue;
            }

            if (draft is null)
            {
                if (block is not LinkReferenceDefinitionGroup)
                {
                    errors.Add(new ContentError(file.Path, block.Line + 1,
                        "quiz text outside a question: start each question with a ### heading holding the question"));
                }

                continue;
            }

            AddBlock(file, draft, block, text, errors);
        }

        Finish();
        return questions;

        void Finish()
        {
            if (draft is not null && Complete(file, conceptId, draft, errors) is { } question)
            {
                if (questions.Any(existing => existing.Id == question.Id))
                {
                    errors.Add(new ContentError(file.Path, draft.Line, "this question repeats an earlier one with the same text and choices; remove one"));
                }
                else
                {
                    questions.Add(question);
                }
            }

            draft = null;
        }
    }

    private static void AddBlock(ContentFile file, QuestionDraft draft, Block block, string text, List<ContentError> errors)
    {
        var line = block.Line + 1;
        switch (block)
        {
            case ListBlock list when draft.Choices.Count == 0 && draft.Explanation is null:
                draft.ChoicesLine = line;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var source = Source(item, text);
                    var match = TaskItem().Match(source);
                    if (!match.Success)
                    {
                        errors.Add(new ContentError(file.Path, item.Line + 1,
                            "each choice must be one line starting with [ ] (wrong) or [x] (right), e.g. - [x] 42"));
                        draft.Broken = true;
                        continue;
                    }

                    if (match.Groups["mark"].Value is "x" or "X")
                    {
                        draft.CorrectIndices.Add(draft.Choices.Count);
                    }

                    draft.Choices.Add((match.Groups["text"].Value.Trim(), item.Line + 1));
                }

                break;
            case ListBlock:
                errors.Add(new ContentError(file.Path, line, "a second list in this question: give the choices as one task list"));
                draft.Broken = true;
                break;
            case QuoteBlock when draft.Choices.Count == 0:
                errors.Add(new ContentError(file.Path, line, "the > explanation comes after the choices; add the task list of choices before it"));
                draft.Broken = true;
                break;
            case QuoteBlock quote when draft.Explanation is null:
                draft.Explanation = QuoteMarkdown(quote, text);
                draft.ExplanationLine = line;
                break;
            case QuoteBlock:
                errors.Add(new ContentError(file.Path, line, "a second > explanation in this question: merge them into one blockquote"));
                draft.Broken = true;
                break;
            case ParagraphBlock paragraph when DifficultyLine().Match(Source(paragraph, text)) is { Success: true } difficulty:
                if (draft.Difficulty is not null)
                {
                    errors.Add(new ContentError(file.Path, line, "Difficulty is given twice in this question; keep one"));
                    draft.Broken = true;
                }
                else if (Enum.TryParse<QuizDifficulty>(difficulty.Groups["value"].Value, ignoreCase: true, out var value)
                    && !int.TryParse(difficulty.Groups["value"].Value, out _))
                {
                    draft.Difficulty = value;
                }
                else
                {
                    errors.Add(new ContentError(file.Path, line,
                        $"difficulty '{difficulty.Groups["value"].Value.Trim()}' is not one of: {Difficulties}"));
                    draft.Broken = true;
                }

                break;
            case ParagraphBlock or FencedCodeBlock or CodeBlock or HtmlBlock when draft.Choices.Count == 0:
                draft.PromptBlocks.Add(Source(block, text));
                if (block is FencedCodeBlock fence && fence.Info is "python")
                {
                    draft.PythonBlocks.Add(fence.Lines.ToString());
                }

                break;
            default:
                errors.Add(new ContentError(file.Path, line,
                    "unexpected text after the choices: a question ends with its > explanation and a Difficulty: line"));
                draft.Broken = true;
                break;
        }
    }

    private static QuizQuestion? Complete(ContentFile file, string conceptId, QuestionDraft draft, List<ContentError> errors)
    {
        var countBefore = errors.Count;
        void Error(int line, string message) => errors.Add(new ContentError(file.Path, line, message));

        if (draft.Question.Length == 0)
        {
            Error(draft.Line, "the ### heading is empty: write the question there");
        }
        else if (draft.Question.Length > QuizQuestion.MaxQuestionLength)
        {
            Error(draft.Line, $"the question is {draft.Question.Length} characters; keep the ### heading under {QuizQuestion.MaxQuestionLength} and put details in a paragraph below it");
        }

        var prompt = string.Join("\n\n", draft.PromptBlocks);
        if (prompt.Length > QuizQuestion.MaxPromptLength)
        {
            Error(draft.Line, $"the question's text and code are {prompt.Length} characters; keep them under {QuizQuestion.MaxPromptLength} so the question fits one chat message");
        }

        if (draft.Choices.Count == 0 && !draft.Broken)
        {
            Error(draft.Line, "this question has no choices: add a task list such as - [x] right answer / - [ ] wrong answer");
        }
        else if (!draft.Broken && draft.Choices.Count is > 0 and (< QuizQuestion.MinChoices or > QuizQuestion.MaxChoices))
        {
            Error(draft.ChoicesLine, $"{draft.Choices.Count} choices; give {QuizQuestion.MinChoices} or {QuizQuestion.MaxChoices}");
        }

        if (!draft.Broken && draft.Choices.Count > 0 && draft.CorrectIndices.Count != 1)
        {
            Error(draft.ChoicesLine, draft.CorrectIndices.Count == 0
                ? "no choice is marked right: mark exactly one with [x]"
                : $"{draft.CorrectIndices.Count} choices are marked right: mark exactly one with [x]");
        }

        foreach (var (choice, line) in draft.Choices)
        {
            if (choice.Length == 0)
            {
                Error(line, "this choice is empty: write the answer after the [ ]");
            }
            else if (choice.Length > QuizQuestion.MaxChoiceLength)
            {
                Error(line, $"this choice is {choice.Length} characters; keep choices to {QuizQuestion.MaxChoiceLength} so they fit on a button");
            }
        }

        foreach (var duplicate in draft.Choices.GroupBy(choice => choice.Text, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            Error(duplicate.Skip(1).First().Line, $"choice '{duplicate.Key}' appears twice; make every choice different");
        }

        if (draft.Choices.Count > 0 && draft.Explanation is null && !draft.Broken)
        {
            Error(draft.ChoicesLine, "missing explanation: after the choices, add a > blockquote saying why the answer is right and the tempting one wrong");
        }
        else if (draft.Explanation is { Length: > QuizQuestion.MaxExplanationLength } explanation)
        {
            Error(draft.ExplanationLine, $"the explanation is {explanation.Length} characters; keep it under {QuizQuestion.MaxExplanationLength}");
        }

        if (draft.Difficulty is null && !draft.Broken && draft.Choices.Count > 0)
        {
            Error(draft.Line, $"missing difficulty: end the question with a line such as Difficulty: easy ({Difficulties})");
        }

        var isOutputQuestion = draft.Question.StartsWith(QuizQuestion.OutputQuestionPrefix, StringComparison.OrdinalIgnoreCase);
        if (isOutputQuestion)
        {
            if (draft.PythonBlocks.Count != 1)
            {
                Error(draft.Line, $"a \"{QuizQuestion.OutputQuestionPrefix}?\" question needs exactly one ```python block with the program; it has {draft.PythonBlocks.Count}");
            }

            foreach (var (choice, line) in draft.Choices.Where(choice => CodeSpanText(choice.Text) is null))
            {
                Error(line, $"every choice of a \"{QuizQuestion.OutputQuestionPrefix}?\" question is the printed text in backticks, e.g. `[1, 2]`");
            }
        }

        if (errors.Count > countBefore || draft.Broken)
        {
            return null;
        }

        var choices = draft.Choices.Select(choice => choice.Text).ToList();
        return new QuizQuestion(
            $"{conceptId}:{Hash(draft.Question, prompt, choices)}",
            conceptId,
            draft.Question,
            prompt,
            choices,
            draft.CorrectIndices[0],
            draft.Explanation!,
            draft.Difficulty!.Value,
            draft.Line,
            isOutputQuestion ? draft.PythonBlocks[0] : null);
    }

    /// <summary>The text inside a choice written as one code span (<c>`x`</c> or <c>`` x ``</c>), or null.</summary>
    public static string? CodeSpanText(string choice)
    {
        var match = CodeSpan().Match(choice);
        if (!match.Success)
        {
            return null;
        }

        // CommonMark strips one space from each end when both are present, so `` `x` `` can hold a backtick.
        var code = match.Groups["code"].Value;
        return code.Length > 2 && code[0] == ' ' && code[^1] == ' ' ? code[1..^1] : code;
    }

    private static string Hash(string question, string prompt, List<string> choices)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", [question, prompt, .. choices])));
        return Convert.ToHexStringLower(bytes)[..10];
    }

    private static string Source(Block block, string text) => text.Substring(block.Span.Start, block.Span.Length).Trim();

    private static string InlineMarkdown(HeadingBlock heading, string text) =>
        heading.Inline?.FirstChild is { } first && heading.Inline.LastChild is { } last
            ? text[first.Span.Start..(last.Span.End + 1)].Trim()
            : "";

    /// <summary>The quote's Markdown without its <c>&gt;</c> markers.</summary>
    private static string QuoteMarkdown(QuoteBlock quote, string text)
    {
        var lines = Source(quote, text).Split('\n')
            .Select(line => QuoteMarker().Replace(line, ""));
        return string.Join('\n', lines).Trim();
    }

    [GeneratedRegex(@"^[-*+]\s+\[(?<mark>[ xX])\](?:[ \t]+(?<text>.*))?$")]
    private static partial Regex TaskItem();

    [GeneratedRegex(@"^Difficulty:\s*(?<value>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex DifficultyLine();

    [GeneratedRegex(@"^\s{0,3}> ?")]
    private static partial Regex QuoteMarker();

    [GeneratedRegex(@"^(?<ticks>`+)(?<code>(?:(?!\k<ticks>).)+)\k<ticks>$")]
    private static partial Regex CodeSpan();

    private sealed class QuestionDraft(int line, string question)
    {
        public int Line { get; } = line;

        public string Question { get; } = question;

        public List<string> PromptBlocks { get; } = [];

        public List<string> PythonBlocks { get; } = [];

        public List<(string Text, int Line)> Choices { get; } = [];

        public List<int> CorrectIndices { get; } = [];

        public int ChoicesLine { get; set; }

        public string? Explanation { get; set; }

        public int ExplanationLine { get; set; }

        public QuizDifficulty? Difficulty { get; set; }

        /// <summary>A structural error was already reported; skip follow-on complaints.</summary>
        public bool Broken { get; set; }
    }
}
