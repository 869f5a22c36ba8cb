using System.Security.Cryptography;
using System.Text;

namespace Bot.Discord.Rest;

/// <summary>
/// One Discord REST call: the concrete relative path to send, and the template that logs, errors and
/// rate-limit buckets use instead (the path of a token route holds a secret).
/// </summary>
/// <param name="Template">Method and path with placeholders, e.g. <c>POST /channels/{channel_id}/messages</c>.</param>
/// <param name="RelativePath">Path relative to the versioned base address, without a leading slash.</param>
/// <param name="MajorParameter">Discord computes per-route limits per top-level resource; a token is fingerprinted, never kept.</param>
/// <param name="UsesBotToken">False on interaction callbacks and interaction webhooks: the token in the path is the credential and they are exempt from the global limit.</param>
internal sealed record DiscordRoute(HttpMethod Method, string Template, string RelativePath, string MajorParameter, bool UsesBotToken)
{
    public static readonly HttpRequestOptionsKey<DiscordRoute> OptionsKey = new("Bot.Discord.Rest.Route");

    public static DiscordRoute GatewayBot() =>
        new(HttpMethod.Get, "GET /gateway/bot", "gateway/bot", "", true);

    public static DiscordRoute CurrentUser() =>
        new(HttpMethod.Get, "GET /users/@me", "users/@me", "", true);

    public static DiscordRoute CurrentApplication() =>
        new(HttpMethod.Get, "GET /applications/@me", "applications/@me", "", true);

    public static DiscordRoute GetChannel(string channelId) =>
        new(HttpMethod.Get, "GET /channels/{channel_id}", $"channels/{Escape(channelId)}", "channel:" + channelId, true);

    public static DiscordRoute GetGuild(string guildId) =>
        new(HttpMethod.Get, "GET /guilds/{guild_id}", $"guilds/{Escape(guildId)}", "guild:" + guildId, true);

    public static DiscordRoute GetGuildMember(string guildId, string userId) =>
        new(HttpMethod.Get, "GET /guilds/{guild_id}/members/{user_id}",
            $"guilds/{Escape(guildId)}/members/{Escape(userId)}", "guild:" + guildId, true);

    public static DiscordRoute BulkOverwriteGlobalCommands(string applicationId) =>
        new(HttpMethod.Put, "PUT /applications/{application_id}/commands",
            $"applications/{Escape(applicationId)}/commands", "", true);

    public static DiscordRoute BulkOverwriteGuildCommands(string applicationId, string guildId) =>
        new(HttpMethod.Put, "PUT /applications/{application_id}/guilds/{guild_id}/commands",
            $"applications/{Escape(applicationId)}/guilds/{Escape(guildId)}/commands", "guild:" + guildId, true);

    public static DiscordRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "POST /channels/{channel_id}/messages",
            $"channels/{Escape(channelId)}/messages", "channel:" + channelId, true);

    public static DiscordRoute EditMessage(string channelId, string messageId) =>
        new(HttpMethod.Patch, "PATCH /channels/{channel_id}/messages/{message_id}",
            $"channels/{Escape(channelId)}/messages/{Escape(messageId)}", "channel:" + channelId, true);

    public static DiscordRoute GetChannelMessages(string channelId, int limit) =>
        new(HttpMethod.Get, "GET /channels/{channel_id}/messages",
            $"channels/{Escape(channelId)}/messages?limit={limit}", "channel:" + channelId, true);

    public static DiscordRoute CreateInteractionResponse(string interactionId, string interactionToken) =>
        new(HttpMethod.Post, "POST /interactions/{interaction_id}/{token}/callback",
            $"interactions/{Escape(interactionId)}/{Escape(interactionToken)}/callback", "interaction:" + interactionId, false);

    public static DiscordRoute EditOriginalResponse(string applicationId, string interactionToken) =>
        new(HttpMethod.Patch, "PATCH /webhooks/{application_id}/{token}/messages/@original",
            $"webhooks/{Escape(applicationId)}/{Escape(interactionToken)}/messages/@original",
            WebhookMajor(applicationId, interactionToken), false);

    public static DiscordRoute DeleteOriginalResponse(string applicationId, string interactionToken) =>
        new(HttpMethod.Delete, "DELETE /webhooks/{application_id}/{token}/messages/@original",
            $"webhooks/{Escape(applicationId)}/{Escape(interactionToken)}/messages/@original",
            WebhookMajor(applicationId, interactionToken), false);

    public static DiscordRoute CreateFollowup(string applicationId, string interactionToken) =>
        new(HttpMethod.Post, "POST /webhooks/{application_id}/{token}",
            $"webhooks/{Escape(applicationId)}/{Escape(interactionToken)}",
            WebhookMajor(applicationId, interactionToken), false);

    /// <summary>For a request sent without a route (not through <see cref="DiscordRestClient"/>): one shared bucket per method.</summary>
    public static DiscordRoute Unknown(HttpRequestMessage request) =>
        new(request.Method, request.Method.Method + " (unknown route)", "", "", request.Headers.Authorization is not null);

    /// <summary>The template of the route a request was sent on, for logs and traces (never its path).</summary>
    public static string TemplateOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(OptionsKey, out var route) ? route.Template : Unknown(request).Template;

    /// <summary>The token in the key lets two interactions' webhooks keep separate buckets without the secret living in the limiter.</summary>
    private static string WebhookMajor(string applicationId, string token) =>
        "webhook:" + applicationId + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)).AsSpan(0, 8));

    private static string Escape(string segment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(segment);
        return Uri.EscapeDataString(segment);
    }
}
