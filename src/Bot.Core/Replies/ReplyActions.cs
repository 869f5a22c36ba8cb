using System.Globalization;

namespace Bot.Core.Replies;

/// <summary>
/// Action ids are short strings so that every platform can carry them (Discord custom_id holds at
/// most 100 characters, Slack action_id 255): a verb, a colon, then the argument.
/// </summary>
public static class ReplyActions
{
    private const string ExplainPrefix = "explain:";
    private const string AnswerPrefix = "quiz:answer:";
    private const string QuizTopicPrefix = "quiz:topic:";
    private const string QuizNextId = "quiz:next";

    public const int MaxIdLength = 100;

    public static ReplyAction Explain(string conceptId, string label) => new(ExplainPrefix + conceptId, label);

    /// <summary>Answer <paramref name="choice"/> (zero-based) of quiz message <paramref name="instanceId"/>.</summary>
    public static ReplyAction Answer(long instanceId, int choice, string label) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{AnswerPrefix}{instanceId}:{choice}"), label);

    /// <summary>Another question: from <paramref name="conceptId"/>, or from the review queue when null.</summary>
    public static ReplyAction NextQuestion(string? conceptId, string label) =>
        new(conceptId is null ? QuizNextId : QuizTopicPrefix + conceptId, label);

    /// <summary>The request an action id stands for, or null for an id this version does not know.</summary>
    public static BotRequest? Parse(string actionId)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        if (actionId.StartsWith(ExplainPrefix, StringComparison.Ordinal))
        {
            return new ExplainRequest(actionId[ExplainPrefix.Length..]);
        }

        if (actionId == QuizNextId)
        {
            return new QuizRequest(null);
        }

        if (actionId.StartsWith(QuizTopicPrefix, StringComparison.Ordinal))
        {
            return new QuizRequest(actionId[QuizTopicPrefix.Length..]);
        }

        if (actionId.StartsWith(AnswerPrefix, StringComparison.Ordinal)
            && actionId[AnswerPrefix.Length..].Split(':') is [var instance, var choice]
            && long.TryParse(instance, NumberStyles.None, CultureInfo.InvariantCulture, out var instanceId)
            && int.TryParse(choice, NumberStyles.None, CultureInfo.InvariantCulture, out var choiceIndex))
        {
            return new QuizAnswerRequest(instanceId, choiceIndex);
        }

        return null;
    }
}
