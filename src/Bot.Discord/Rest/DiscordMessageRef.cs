using System.Text.Json;

namespace Bot.Discord.Rest;

/// <summary>Where a message Discord created or edited lives: enough to edit it later.</summary>
public sealed record DiscordMessageRef(string Id, string ChannelId);

/// <summary>
/// A message as <c>GET /channels/{channel_id}/messages</c> returns it, reduced to what the bot checks
/// (did a post with this nonce land, what does it say).
/// </summary>
/// <param name="Nonce">Discord echoes the nonce as sent, string or integer; integers arrive here as their digits.</param>
/// <param name="Embeds">The <c>embeds</c> array, cloned (an empty array when absent).</param>
/// <param name="Components">The <c>components</c> array, cloned (an empty array when absent).</param>
public sealed record DiscordChannelMessage(
    string Id,
    string ChannelId,
    string Content,
    string? Nonce,
    string? AuthorId,
    JsonElement Embeds,
    JsonElement Components);
