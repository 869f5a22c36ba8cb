namespace Bot.Core.Replies;

/// <summary>
/// Action ids are short strings so that every platform can carry them (Discord custom_id holds at
/// most 100 characters, Slack action_id 255): a verb, a colon, then the argument.
/// </summary>
public static class ReplyActions
{
    private const string ExplainPrefix = "explain:";

    public const int MaxIdLength = 100;

    public static ReplyAction Explain(string conceptId, string label) => new(ExplainPrefix + conceptId, label);

    /// <summary>The request an action id stands for, or null for an id this version does not know.</summary>
    public static BotRequest? Parse(string actionId) =>
        actionId.StartsWith(ExplainPrefix, StringComparison.Ordinal)
            ? new ExplainRequest(actionId[ExplainPrefix.Length..])
            : null;
}
