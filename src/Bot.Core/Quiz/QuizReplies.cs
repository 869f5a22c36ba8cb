using System.Globalization;
using System.Text;
using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Markdig;

namespace Bot.Core.Quiz;

/// <summary>How quiz questions, results and reveals look, on every platform.</summary>
public static class QuizReplies
{
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static Reply Question(QuizInstance instance, QuizQuestion question, Concept concept, string? note)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(concept);
        return new Reply
        {
            Title = instance.Kind == QuizInstanceKind.Daily ? $"Daily quiz: {concept.Title}" : $"Quiz: {concept.Title}",
            Body = QuestionMarkdown(question, withLetters: true),
            Fields = [new ReplyField("Difficulty", Capitalize(question.Difficulty)), .. note is null ? [] : new[] { new ReplyField("Why this one", note) }],
            Actions = [.. question.Choices.Select((choice, index) => ReplyActions.Answer(instance.Id, index, TextClip.Clip($"{Letters[index]}. {PlainText(choice)}", QuizQuestion.MaxChoiceLength)))],
        };
    }

    public static Reply PracticeResult(QuizInstance instance, QuizQuestion question, Concept concept, AnswerRecord answer, bool answeredBefore)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(concept);
        ArgumentNullException.ThrowIfNull(answer);
        var body = new StringBuilder();
        if (answeredBefore)
        {
            body.Append("You already answered this question; your first answer counts.\n\n");
        }

        body.Append(QuestionMarkdown(question, withLetters: false)).Append("\n\n");
        body.Append(CultureInfo.InvariantCulture, $"**Your answer:** {Letters[answer.Choice]}. {question.Choices[answer.Choice]}\n");
        if (!answer.Correct)
        {
            body.Append(CultureInfo.InvariantCulture, $"**Right answer:** {Letters[question.CorrectIndex]}. {question.CorrectChoice}\n");
        }

        body.Append('\n').Append(question.Explanation);
        return new Reply
        {
            Title = answer.Correct ? "Correct!" : "Not quite",
            Body = body.ToString(),
            Tone = answer.Correct ? ReplyTone.Success : ReplyTone.Warning,
            Actions =
            [
                ReplyActions.Explain(concept.Id, $"Explain {concept.Title}"),
                ReplyActions.NextQuestion(instance.Topic, "Next question"),
            ],
        };
    }

    public static Reply DailyAnswerRecorded(QuizInstance instance, QuizQuestion question, AnswerRecord answer, bool answeredBefore)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(answer);
        var reveal = instance.RevealAt is { } at ? $" The answer and everyone's results appear at {FormatTime(at)}." : "";
        return new Reply
        {
            Title = answeredBefore ? "You already answered" : "Answer recorded",
            Body = $"{(answeredBefore ? "Your first answer counts: " : "You chose ")}**{Letters[answer.Choice]}. {question.Choices[answer.Choice]}**.{reveal}",
            Tone = ReplyTone.Info,
            Visibility = ReplyVisibility.OnlyCaller,
        };
    }

    /// <summary>The daily question's post after its reveal time: the answer, why, and how people did.</summary>
    public static Reply Reveal(QuizQuestion question, Concept concept, AnswerTally tally)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(concept);
        ArgumentNullException.ThrowIfNull(tally);
        var body = new StringBuilder(QuestionMarkdown(question, withLetters: false)).Append("\n\n");
        body.Append(CultureInfo.InvariantCulture, $"**Answer:** {Letters[question.CorrectIndex]}. {question.CorrectChoice}\n\n");
        body.Append(question.Explanation).Append("\n\n");
        if (tally.Answers == 0)
        {
            body.Append("Nobody answered this one.");
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"**Results:** {tally.Answers} answer{(tally.Answers == 1 ? "" : "s")}, {Percent(tally.Correct, tally.Answers)} correct\n\n");
            for (var index = 0; index < question.Choices.Count; index++)
            {
                var count = index < tally.PerChoice.Count ? tally.PerChoice[index] : 0;
                var mark = index == question.CorrectIndex ? " ✓" : "";
                body.Append(CultureInfo.InvariantCulture, $"- {Letters[index]}: {count} ({Percent(count, tally.Answers)}){mark}\n");
            }
        }

        return new Reply
        {
            Title = $"Daily quiz: {concept.Title} (answer)",
            Body = body.ToString().TrimEnd(),
            Tone = ReplyTone.Info,
            Actions = [ReplyActions.Explain(concept.Id, $"Explain {concept.Title}"), ReplyActions.NextQuestion(concept.Id, "Practise this topic")],
        };
    }

    public static string FormatTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Percent(int part, int whole) =>
        whole == 0 ? "0%" : ((double)part / whole).ToString("0%", CultureInfo.InvariantCulture);

    private static string QuestionMarkdown(QuizQuestion question, bool withLetters)
    {
        var text = new StringBuilder("**").Append(question.Question).Append("**");
        if (question.Prompt.Length > 0)
        {
            text.Append("\n\n").Append(question.Prompt);
        }

        if (withLetters)
        {
            text.Append("\n\n");
            for (var index = 0; index < question.Choices.Count; index++)
            {
                text.Append(CultureInfo.InvariantCulture, $"**{Letters[index]}.** {question.Choices[index]}\n");
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Button labels cannot hold Markdown, so <c>`[1, 2]`</c> becomes <c>[1, 2]</c>.</summary>
    private static string PlainText(string markdown) => Markdown.ToPlainText(markdown, MarkdownDialect.Pipeline).Trim();

    private static string Capitalize(QuizDifficulty difficulty) => difficulty.ToString();
}
