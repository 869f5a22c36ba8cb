using System.Text.Json;

namespace Bot.Slack.WebApi;

/// <summary>Who the bot token belongs to (<c>auth.test</c>).</summary>
/// <param name="BotId">The bot's <c>B…</c> id; messages the bot posts carry it as <c>bot_id</c>.</param>
public sealed record SlackIdentity(string TeamId, string UserId, string? BotId)
{
    /// <summary>The workspace's name (<c>team</c>).</summary>
    public string? TeamName { get; init; }

    /// <summary>The bot user's name (<c>user</c>).</summary>
    public string? UserName { get; init; }

    /// <summary>The token's scopes from the <c>X-OAuth-Scopes</c> header; null when Slack did not send it.</summary>
    public IReadOnlyList<string>? GrantedScopes { get; init; }
}

/// <summary>Where a posted message lives: enough to edit it with <c>chat.update</c>.</summary>
/// <param name="Ts">The message's timestamp, Slack's id for it within <paramref name="Channel"/>.</param>
public sealed record SlackPosted(string Channel, string Ts);

/// <summary>A message as <c>conversations.history</c> returns it, reduced to what the bot checks.</summary>
/// <param name="Metadata">The <c>metadata</c> object (<c>event_type</c>, <c>event_payload</c>), cloned; only returned when asked for.</param>
public sealed record SlackHistoryMessage(string Ts, string Text, string? BotId, JsonElement? Metadata);
