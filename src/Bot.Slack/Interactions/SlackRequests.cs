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
        Uri.TryCreate(field("response_url"), UriKind.Absolute, out var url) ? url : null,
        field("trigger_id"));

    public static SlackSlashCommand FromJson(JsonElement payload) =>
        FromFields(name => payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null);
}

/// <summary>An interactive payload (<c>block_actions</c>, <c>block_suggestion</c>): the fields the bot reads.</summary>
public sealed record SlackInteraction(string Type, string? ActionId, string? Value, string TeamId, string? ChannelId, string UserId, string? UserName, Uri? ResponseUrl, string? TriggerId, string? MessageTs)
{
    public Caller Caller => new(Platform.Slack, TeamId, ChannelId ?? "", UserId, UserName);

    public static SlackInteraction FromJson(JsonElement payload)
    {
        string? Text(JsonElement element, params string[] path)
        {
            foreach (var name in path)
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                {
                    return null;
                }
            }

            return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        }

        var action = payload.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array && actions.GetArrayLength() > 0
            ? actions[0]
            : default;
        // A menu's action_id only names the menu; the action chosen is the selected option's value.
        var chosen = action.ValueKind == JsonValueKind.Object ? Text(action, "selected_option", "value") : null;
        return new SlackInteraction(
            Text(payload, "type") ?? "",
            chosen ?? (action.ValueKind == JsonValueKind.Object ? Text(action, "action_id") : Text(payload, "action_id")),
            action.ValueKind == JsonValueKind.Object ? Text(action, "value") : Text(payload, "value"),
            Text(payload, "team", "id") ?? Text(payload, "user", "team_id") ?? "",
            Text(payload, "channel", "id") ?? Text(payload, "container", "channel_id"),
            Text(payload, "user", "id") ?? "",
            Text(payload, "user", "username") ?? Text(payload, "user", "name"),
            Uri.TryCreate(Text(payload, "response_url"), UriKind.Absolute, out var url) ? url : null,
            Text(payload, "trigger_id"),
            Text(payload, "container", "message_ts") ?? Text(payload, "message", "ts"));
    }
}
