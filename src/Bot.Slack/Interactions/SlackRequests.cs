using System.Text.Json;
using Bot.Core;

namespace Bot.Slack.Interactions;

/// <summary>
/// A slash command as Slack sends it: form fields over HTTP, the same fields as JSON in a Socket Mode
/// envelope. Only what the bot reads; <see cref="ResponseUrl"/> is a secret and never logged.
/// </summary>
public sealed record SlackSlashCommand(string Command, string Text, string TeamId, string ChannelId, string UserId, string? UserName, Uri? ResponseUrl, string? TriggerId)
{
    public Caller Caller => new(Platform.Slack, TeamId, ChannelId, UserId, UserName);

    public static SlackSlashCommand FromFields(Func<string, string?> field) => new(
        field("command") ?? "",
        field("text") ?? "",
        field("team_id") ?? "",
        field("channel_id") ?? "",
        field("user_id") ?? "",
        field("user_name"),
        SlackPayloadReader.ResponseUrl(field("response_url")),
        field("trigger_id"));

    /// <exception cref="SlackPayloadException">The payload is not an object, or a field is not text.</exception>
    public static SlackSlashCommand FromJson(JsonElement payload)
    {
        SlackPayloadReader.RequireObject(payload);
        return FromFields(name => SlackPayloadReader.Text(payload, name));
    }
}

/// <summary>An interactive payload (<c>block_actions</c>, <c>block_suggestion</c>): the fields the bot reads.</summary>
public sealed record SlackInteraction(string Type, string? ActionId, string? Value, string TeamId, string? ChannelId, string UserId, string? UserName, Uri? ResponseUrl, string? TriggerId, string? MessageTs)
{
    public Caller Caller => new(Platform.Slack, TeamId, ChannelId ?? "", UserId, UserName);

    /// <exception cref="SlackPayloadException">The payload is not an object, has no type or user, or a field is not text.</exception>
    public static SlackInteraction FromJson(JsonElement payload)
    {
        SlackPayloadReader.RequireObject(payload);
        static string? Text(JsonElement element, params string[] path) => SlackPayloadReader.Text(element, path);

        var action = payload.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array && actions.GetArrayLength() > 0
            ? actions[0]
            : default;
        // A menu's action_id only names the menu; the action chosen is the selected option's value.
        var chosen = action.ValueKind == JsonValueKind.Object ? Text(action, "selected_option", "value") : null;
        var type = Text(payload, "type") ?? throw new SlackPayloadException("an interaction payload needs a type");
        var user = Text(payload, "user", "id");
        if (string.IsNullOrEmpty(user))
        {
            throw new SlackPayloadException("an interaction payload needs user.id");
        }

        return new SlackInteraction(
            type,
            chosen ?? (action.ValueKind == JsonValueKind.Object ? Text(action, "action_id") : Text(payload, "action_id")),
            action.ValueKind == JsonValueKind.Object ? Text(action, "value") : Text(payload, "value"),
            Text(payload, "team", "id") ?? Text(payload, "user", "team_id") ?? "",
            Text(payload, "channel", "id") ?? Text(payload, "container", "channel_id"),
            user,
            Text(payload, "user", "username") ?? Text(payload, "user", "name"),
            SlackPayloadReader.ResponseUrl(Text(payload, "response_url")),
            Text(payload, "trigger_id"),
            Text(payload, "container", "message_ts") ?? Text(payload, "message", "ts"));
    }
}

/// <summary>
/// A payload that is well-formed JSON but not what Slack sends: not an object, a required field
/// missing, or text that is not valid UTF-16 (a lone surrogate escape, invalid UTF-8). The request is
/// refused as malformed rather than failing inside the bot.
/// </summary>
public sealed class SlackPayloadException : Exception
{
    public SlackPayloadException()
    {
    }

    public SlackPayloadException(string message)
        : base(message)
    {
    }

    public SlackPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Reads a payload's fields as Slack sends them, refusing what Slack would not send.</summary>
internal static class SlackPayloadReader
{
    internal static void RequireObject(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            throw new SlackPayloadException($"a payload must be a JSON object, not {payload.ValueKind}");
        }
    }

    /// <summary>A <c>response_url</c> the bot may post to, an http(s) address (Slack's are https); anything else is treated as absent.</summary>
    internal static Uri? ResponseUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url : null;

    /// <summary>The string at <paramref name="path"/>, or null when a step is missing or not of the expected kind.</summary>
    internal static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException exception)
        {
            throw new SlackPayloadException($"{string.Join('.', path)} is not valid text", exception);
        }
    }
}
