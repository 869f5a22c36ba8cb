using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Tests.Fakes;

public sealed partial class FakeSlack
{
    /// <summary>The bot scopes the app's manifest asks for, which <see cref="GrantedBotScopes"/> starts with.</summary>
    public static readonly IReadOnlyList<string> ManifestBotScopes = ["commands", "chat:write", "channels:history", "groups:history"];

    /// <summary>The scope an app-level token needs for Socket Mode, reported in its <c>X-OAuth-Scopes</c>.</summary>
    public const string AppTokenScope = "connections:write";

    // The scopes each method's reference lists for a bot token; Slack echoes them in X-Accepted-OAuth-Scopes.
    // auth.test and apps.connections.open are documented as needing none, so they get no header.
    private static readonly Dictionary<string, string[]> MethodScopes = new(StringComparer.Ordinal)
    {
        ["chat.postMessage"] = ["chat:write"],
        ["chat.update"] = ["chat:write"],
        ["chat.postEphemeral"] = ["chat:write"],
        ["chat.delete"] = ["chat:write"],
        ["conversations.history"] = ["channels:history", "groups:history", "im:history", "mpim:history"],
        ["conversations.replies"] = ["channels:history", "groups:history", "im:history", "mpim:history"],
    };

    private IReadOnlyList<string> _grantedBotScopes = ManifestBotScopes;

    /// <summary>
    /// The scopes the bot token was granted (default <see cref="ManifestBotScopes"/>), in the order Slack lists them in
    /// <c>X-OAuth-Scopes</c> and a <c>missing_scope</c> answer's <c>provided</c>. A method whose scope is not here answers
    /// <c>missing_scope</c>: the chat.* methods need <c>chat:write</c>; conversations.history/replies need
    /// <c>channels:history</c> in a public channel and <c>groups:history</c> in a private one; auth.test needs none.
    /// </summary>
    public IReadOnlyList<string> GrantedBotScopes
    {
        get => Volatile.Read(ref _grantedBotScopes);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Volatile.Write(ref _grantedBotScopes, value.ToArray());
        }
    }

    /// <summary>
    /// When true, Web API calls with <see cref="BotToken"/> answer <c>account_inactive</c>, the error Slack documents for
    /// a bot token whose app was removed or whose workspace is gone (<c>token_revoked</c> is documented for user tokens).
    /// A configured state, not a client bug, so it is not a problem.
    /// </summary>
    public bool BotTokenRevoked { get; set; }

    /// <summary>
    /// When true, <c>apps.connections.open</c> with <see cref="AppToken"/> answers <c>invalid_auth</c>, which Slack
    /// documents for an app-level token that is not valid (revoked or regenerated). Not a problem.
    /// </summary>
    public bool AppTokenRevoked { get; set; }

    /// <summary>
    /// How far Slack's clock is ahead of the fake's <see cref="TimeProvider"/> (negative: behind). Only the HTTP
    /// <c>Date</c> header every response carries follows it; response_url expiry, rate windows and ack deadlines
    /// keep the provider's time.
    /// </summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>Slack's clock as its <c>Date</c> header reports it: the fake's time plus <see cref="ClockOffset"/>.</summary>
    public DateTimeOffset SlackNow => Now + ClockOffset;

    private void SetDateHeader(HttpResponse response) =>
        response.Headers.Date = SlackNow.ToString("R", CultureInfo.InvariantCulture);

    // Slack sends the calling token's scopes on every response to a token it accepted, failures included,
    // and the scopes the method checks for.
    private static void SetScopeHeaders(HttpResponse response, string method, string grantedScopes)
    {
        response.Headers["X-OAuth-Scopes"] = grantedScopes;
        if (MethodScopes.TryGetValue(method, out var accepted))
        {
            response.Headers["X-Accepted-OAuth-Scopes"] = string.Join(',', accepted);
        }
    }

    private string GrantedBotScopesText => string.Join(',', GrantedBotScopes);

    private bool IsGranted(string scope) => GrantedBotScopes.Contains(scope, StringComparer.Ordinal);

    private JsonObject MissingScope(string needed) => new()
    {
        ["ok"] = false,
        ["error"] = "missing_scope",
        ["needed"] = needed,
        ["provided"] = GrantedBotScopesText,
    };

    // The chat.* methods need chat:write whatever the channel; returns the answer when it is missing.
    private JsonObject? CheckChatScope(string method) =>
        method.StartsWith("chat.", StringComparison.Ordinal) && !IsGranted("chat:write") ? MissingScope("chat:write") : null;

    // Reading history needs the scope of the channel's type.
    private JsonObject? CheckHistoryScope(ChannelState channel)
    {
        var needed = channel.IsPrivate ? "groups:history" : "channels:history";
        return IsGranted(needed) ? null : MissingScope(needed);
    }
}
