namespace Bot.Core.Replies;

/// <summary>
/// The one shape of every "that did not work" answer: an error tone, seen only by the person who
/// asked, so that a typo or a failure never clutters a channel.
/// </summary>
public static class ProblemReply
{
    public const string CommandName = "error";

    public static Reply Create(string title, string body) =>
        new() { Title = title, Body = body, Tone = ReplyTone.Error, Visibility = ReplyVisibility.OnlyCaller };

    public static CommandResult Result(string title, string body) => new(CommandName, Create(title, body));
}
