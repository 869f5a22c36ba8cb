using Bot.Core;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Doctor;

/// <summary>
/// What <c>bot doctor</c> asks Slack: whose the bot token is and whether it holds the scopes the bot needs, whether
/// the app-level token may open a Socket Mode connection, and whether the bot can read (so is a member of, and may
/// post in) each daily-quiz channel; and the clock.
/// </summary>
public sealed class SlackDoctor(SlackWebApiClient slack, IOptions<SlackOptions> options, IHttpClientFactory httpClients, TimeProvider time) : IPlatformDoctor
{
    /// <summary>The bot token scopes of <c>deploy/slack/manifest.yaml</c>: slash commands, posting, and reading back its own daily posts.</summary>
    public static readonly IReadOnlyList<string> RequiredBotScopes = ["commands", "chat:write", "channels:history", "groups:history"];

    private const string TokenCheck = "Slack bot token";
    private const string ScopesCheck = "Slack bot scopes";
    private const string SocketModeCheck = "Slack Socket Mode";

    private readonly SlackOptions _options = options.Value;

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(IReadOnlyList<DoctorTarget> dailyTargets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dailyTargets);
        var checks = new List<DoctorCheck>();
        var (identity, refused) = await AskAsync(() => slack.AuthTestAsync(cancellationToken), cancellationToken);
        if (identity is null)
        {
            checks.Add(Unanswered(TokenCheck, refused!, "Slack__BotToken to the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page"));
            checks.Add(DoctorCheck.Skip(ScopesCheck, "needs a working bot token."));
        }
        else
        {
            var who = $"{identity.UserName ?? identity.UserId} in {identity.TeamName ?? identity.TeamId} ({identity.TeamId})";
            checks.Add(DoctorCheck.Pass(TokenCheck, $"accepted: the bot is {who}."));
            checks.Add(CheckScopes(identity.GrantedScopes));
        }

        checks.Add(await CheckSocketModeAsync(cancellationToken));
        foreach (var target in dailyTargets)
        {
            checks.Add(identity is null
                ? DoctorCheck.Skip(TargetCheck(target), "needs a working bot token.")
                : await CheckTargetAsync(target, identity, cancellationToken));
        }

        checks.Add(await CheckClockAsync(cancellationToken));
        return checks;
    }

    // api.test needs no token.
    private Task<DoctorCheck> CheckClockAsync(CancellationToken cancellationToken) =>
        PlatformClock.CheckAsync("Slack", httpClients.CreateClient(), HttpMethod.Post, new Uri(_options.ApiBaseUrl, "api.test"), SlackWebApiClient.UserAgent, time, cancellationToken);

    private static DoctorCheck CheckScopes(IReadOnlyList<string>? granted)
    {
        if (granted is null)
        {
            return DoctorCheck.Skip(ScopesCheck, "Slack did not list the token's scopes (no X-OAuth-Scopes header).");
        }

        var missing = RequiredBotScopes.Where(scope => !granted.Contains(scope, StringComparer.Ordinal)).ToList();
        return missing.Count == 0
            ? DoctorCheck.Pass(ScopesCheck, $"granted {string.Join(", ", RequiredBotScopes)}.")
            : DoctorCheck.Fail(ScopesCheck, $"the bot token lacks {string.Join(", ", missing)} (granted: {(granted.Count == 0 ? "none" : string.Join(", ", granted))}).",
                "add them under OAuth & Permissions, Bot Token Scopes (deploy/slack/manifest.yaml lists them), then reinstall the app to the workspace; the token stays the same.");
    }

    private async Task<DoctorCheck> CheckSocketModeAsync(CancellationToken cancellationToken)
    {
        if (!_options.SocketMode)
        {
            return DoctorCheck.Skip(SocketModeCheck, "not used: no Slack__AppToken, so Slack sends events to /slack/events (HTTP mode).");
        }

        var (url, refused) = await AskAsync(() => slack.OpenSocketConnectionAsync(cancellationToken), cancellationToken);
        return url is not null
            ? DoctorCheck.Pass(SocketModeCheck, "the app-level token may open a connection (apps.connections.open).")
            : Unanswered(SocketModeCheck, refused!, "Slack__AppToken to an app-level token (xapp-…) with the connections:write scope, from the app's Basic Information page, App-Level Tokens");
    }

    private async Task<DoctorCheck> CheckTargetAsync(DoctorTarget target, SlackIdentity identity, CancellationToken cancellationToken)
    {
        var name = TargetCheck(target);
        if (!string.Equals(target.Workspace, identity.TeamId, StringComparison.Ordinal))
        {
            return DoctorCheck.Fail(name, $"{target.Key}__Workspace is {target.Workspace}, but the bot token is of workspace {identity.TeamId}.",
                $"set {target.Key}__Workspace to {identity.TeamId}.");
        }

        var (history, refused) = await AskAsync(() => slack.HistoryAsync(target.Channel, 1, includeAllMetadata: false, cancellationToken), cancellationToken);
        if (history is not null)
        {
            return DoctorCheck.Pass(name, "the bot is in the channel and may read it; with chat:write it may post there.");
        }

        return refused switch
        {
            SlackApiException { Error: "channel_not_found" } => DoctorCheck.Fail(name,
                $"Slack knows no channel {target.Channel} that the bot can see: the id is wrong, or the channel is private and the bot is not in it.",
                $"set {target.Key}__Channel to the channel's id (its details, at the bottom: C…); for a private channel, /invite the bot there."),
            SlackApiException { Error: "not_in_channel" } => DoctorCheck.Fail(name,
                $"the bot is not a member of channel {target.Channel}, so it cannot post there.",
                $"invite it: type /invite @{identity.UserName ?? "the bot"} in the channel."),
            _ => Unanswered(name, refused!, "Slack__BotToken"),
        };
    }

    private DoctorCheck Unanswered(string name, Exception refused, string tokenFix) => refused switch
    {
        SlackApiException { IsAuthFailure: true } auth => DoctorCheck.Fail(name, $"Slack refused the token ({auth.Error}).", $"set {tokenFix}."),
        SlackApiException api => DoctorCheck.Fail(name, $"Slack answered {api.Method} with {api.Error}.",
            api.Fix is { } fix ? fix + "." : api.IsRateLimited || (int)api.StatusCode >= 500
                ? "try again later; https://slack-status.com says whether Slack is down."
                : "see Slack's documentation of that error for the method."),
        _ => DoctorCheck.Fail(name, $"Slack's API at {_options.ApiBaseUrl} did not answer: {refused.Message}",
            "check the network and any proxy between the bot and Slack, and Slack__ApiBaseUrl if you set it."),
    };

    private static string TargetCheck(DoctorTarget target) => $"Slack daily channel {target.Channel}";

    private static Task<(T? Answer, Exception? Refused)> AskAsync<T>(Func<Task<T>> ask, CancellationToken cancellationToken)
        where T : class =>
        DoctorCheck.AskAsync(ask, exception => exception is SlackApiException, cancellationToken);
}
