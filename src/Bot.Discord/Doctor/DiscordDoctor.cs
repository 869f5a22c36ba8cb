using System.Globalization;
using System.Net;
using Bot.Core;
using Bot.Discord.Rest;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Doctor;

/// <summary>
/// What <c>bot doctor</c> asks Discord: whether the token is a bot's, whether the configured application id and
/// public key are that bot's, whether the gateway will take a session, and whether the bot may post the daily quiz
/// in each of its channels (the permissions computed from the guild's roles and the channel's overwrites); and the clock.
/// </summary>
public sealed class DiscordDoctor(DiscordRestClient rest, IOptions<DiscordOptions> options, IHttpClientFactory httpClients, TimeProvider time) : IPlatformDoctor
{
    private const string TokenCheck = "Discord bot token";
    private const string ApplicationCheck = "Discord application";
    private const string GatewayCheck = "Discord gateway";

    private readonly DiscordOptions _options = options.Value;

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(IReadOnlyList<DoctorTarget> dailyTargets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dailyTargets);
        var checks = new List<DoctorCheck>();
        var (user, refused) = await AskAsync(() => rest.GetCurrentUserAsync(cancellationToken), cancellationToken);
        if (user is null)
        {
            checks.Add(refused is DiscordApiException { StatusCode: HttpStatusCode.Unauthorized }
                ? DoctorCheck.Fail(TokenCheck, "Discord refused the bot token (401 Unauthorized).", DiscordOptions.TokenFix + " (Reset Token there if it was leaked or regenerated).")
                : Unanswered(TokenCheck, refused!));
            checks.Add(DoctorCheck.Skip(ApplicationCheck, "needs a working bot token."));
            checks.Add(DoctorCheck.Skip(GatewayCheck, "needs a working bot token."));
            checks.AddRange(dailyTargets.Select(target => DoctorCheck.Skip(TargetCheck(target), "needs a working bot token.")));
            checks.Add(await CheckClockAsync(cancellationToken));
            return checks;
        }

        checks.Add(user.Bot == true
            ? DoctorCheck.Pass(TokenCheck, $"accepted: the bot is {user.DisplayName} (user {user.Id}).")
            : DoctorCheck.Fail(TokenCheck, $"the token belongs to {user.DisplayName}, which is not a bot account.", DiscordOptions.TokenFix + "."));
        checks.Add(await CheckApplicationAsync(cancellationToken));
        checks.Add(await CheckGatewayAsync(cancellationToken));
        foreach (var target in dailyTargets)
        {
            checks.Add(await CheckTargetAsync(target, user, cancellationToken));
        }

        checks.Add(await CheckClockAsync(cancellationToken));
        return checks;
    }

    // GET /gateway needs no token.
    private Task<DoctorCheck> CheckClockAsync(CancellationToken cancellationToken) =>
        PlatformClock.CheckAsync("Discord", httpClients.CreateClient(), HttpMethod.Get, new Uri(_options.ApiBaseUrl, "gateway"), DiscordRestClient.UserAgent, time, cancellationToken);

    private async Task<DoctorCheck> CheckApplicationAsync(CancellationToken cancellationToken)
    {
        var (application, refused) = await AskAsync(() => rest.GetCurrentApplicationAsync(cancellationToken), cancellationToken);
        if (application is null)
        {
            return Unanswered(ApplicationCheck, refused!);
        }

        var name = $"{application.Name ?? "(unnamed)"} ({application.Id})";
        if (!string.Equals(_options.ApplicationId, application.Id, StringComparison.Ordinal))
        {
            return DoctorCheck.Fail(ApplicationCheck,
                $"Discord__ApplicationId is {_options.ApplicationId ?? "not set"}, but the bot token belongs to application {name}; commands would be registered for the wrong application.",
                $"set Discord__ApplicationId to {application.Id}.");
        }

        if (_options.Transport == DiscordTransport.Http && application.VerifyKey is { Length: > 0 } verifyKey
            && !string.Equals(_options.PublicKey, verifyKey, StringComparison.OrdinalIgnoreCase))
        {
            return DoctorCheck.Fail(ApplicationCheck,
                $"Discord__PublicKey is not the public key of application {name}: every interaction Discord signs would be refused.",
                $"set Discord__PublicKey to {verifyKey} (the Public Key on the Developer Portal's General Information page).");
        }

        return DoctorCheck.Pass(ApplicationCheck, _options.Transport == DiscordTransport.Http
            ? $"{name}; Discord__ApplicationId and Discord__PublicKey match it."
            : $"{name}; Discord__ApplicationId matches it.");
    }

    private async Task<DoctorCheck> CheckGatewayAsync(CancellationToken cancellationToken)
    {
        var (gateway, refused) = await AskAsync(() => rest.GetGatewayBotAsync(cancellationToken), cancellationToken);
        if (gateway is null)
        {
            return Unanswered(GatewayCheck, refused!);
        }

        var limit = gateway.SessionStartLimit;
        var starts = $"{limit.Remaining.ToString(CultureInfo.InvariantCulture)} of {limit.Total.ToString(CultureInfo.InvariantCulture)} session starts left";
        if (_options.Transport == DiscordTransport.Http)
        {
            return DoctorCheck.Pass(GatewayCheck, $"answers ({starts}); not used: Discord__Transport is Http.");
        }

        if (limit.Remaining <= 0)
        {
            var reset = TimeSpan.FromMilliseconds(limit.ResetAfter);
            return DoctorCheck.Fail(GatewayCheck, $"no session starts left until the limit resets in {reset:hh\\:mm\\:ss}; the bot could not connect.",
                "wait for the reset; a bot restarting in a loop uses the starts up, so check its logs for why it stops.");
        }

        var configuredShards = _options.ShardCount ?? 1;
        if (gateway.Shards > configuredShards)
        {
            return DoctorCheck.Fail(GatewayCheck,
                $"Discord asks for {gateway.Shards.ToString(CultureInfo.InvariantCulture)} shards, and this bot runs {configuredShards.ToString(CultureInfo.InvariantCulture)}.",
                $"set Discord__ShardCount to {gateway.Shards.ToString(CultureInfo.InvariantCulture)} and run one process per Discord__ShardId from 0 to {(gateway.Shards - 1).ToString(CultureInfo.InvariantCulture)}.");
        }

        return DoctorCheck.Pass(GatewayCheck, $"will take a session ({starts}; {gateway.Shards.ToString(CultureInfo.InvariantCulture)} shard recommended).");
    }

    private async Task<DoctorCheck> CheckTargetAsync(DoctorTarget target, DiscordUser bot, CancellationToken cancellationToken)
    {
        var name = TargetCheck(target);
        var (channel, refused) = await AskAsync(() => rest.GetChannelAsync(target.Channel, cancellationToken), cancellationToken);
        if (channel is null)
        {
            return refused switch
            {
                DiscordApiException { IsUnknownChannel: true } or DiscordApiException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.BadRequest } =>
                    DoctorCheck.Fail(name, $"there is no channel {target.Channel}.",
                        $"set {target.Key}__Channel to the channel's id (turn on Developer Mode, right-click the channel, Copy Channel ID)."),
                DiscordApiException { StatusCode: HttpStatusCode.Forbidden } =>
                    DoctorCheck.Fail(name, $"the bot cannot see channel {target.Channel}: it is not in that server, or may not view the channel.",
                        "invite the bot to the server (OAuth2 URL Generator, scopes bot and applications.commands), or allow View Channel for its role in that channel."),
                _ => Unanswered(name, refused!),
            };
        }

        if (channel.GuildId is null)
        {
            return DoctorCheck.Fail(name, $"channel {target.Channel} is not in a server.", $"set {target.Key}__Channel to a text channel of a server.");
        }

        if (!string.Equals(channel.GuildId, target.Workspace, StringComparison.Ordinal))
        {
            return DoctorCheck.Fail(name, $"channel {target.Channel} is in server {channel.GuildId}, but {target.Key}__Workspace is {target.Workspace}.",
                $"set {target.Key}__Workspace to {channel.GuildId}.");
        }

        var (guild, guildRefused) = await AskAsync(() => rest.GetGuildAsync(channel.GuildId, cancellationToken), cancellationToken);
        if (guild is null)
        {
            return Unanswered(name, guildRefused!);
        }

        var (member, memberRefused) = await AskAsync(() => rest.GetGuildMemberAsync(guild.Id, bot.Id, cancellationToken), cancellationToken);
        if (member is null)
        {
            return Unanswered(name, memberRefused!);
        }

        var where = $"#{channel.Name ?? channel.Id} in {guild.Name ?? guild.Id}";
        var missing = DiscordPermissions.DailyQuizNeeds & ~DiscordPermissions.InChannel(guild, member.Roles ?? [], bot.Id, channel);
        return missing == 0
            ? DoctorCheck.Pass(name, $"{where}: the bot may view, post, embed and read history there.")
            : DoctorCheck.Fail(name, $"the bot lacks {DiscordPermissions.Describe(missing)} in {where}; the daily quiz needs them.",
                "allow them for the bot's role in the channel (Edit Channel, Permissions) or for the role in Server Settings, Roles.");
    }

    private DoctorCheck Unanswered(string name, Exception refused) => refused switch
    {
        DiscordApiException { StatusCode: HttpStatusCode.Unauthorized } =>
            DoctorCheck.Fail(name, "Discord refused the bot token (401 Unauthorized).", DiscordOptions.TokenFix + "."),
        DiscordApiException api => DoctorCheck.Fail(name, api.Message + ".",
            (int)api.StatusCode >= 500 || api.StatusCode == HttpStatusCode.TooManyRequests
                ? "try again later; https://discordstatus.com says whether Discord is down."
                : "see Discord's message above."),
        _ => DoctorCheck.Fail(name, $"Discord's API at {_options.ApiBaseUrl} did not answer: {refused.Message}",
            "check the network and any proxy between the bot and Discord, and Discord__ApiBaseUrl if you set it."),
    };

    private static string TargetCheck(DoctorTarget target) => $"Discord daily channel {target.Channel}";

    private static Task<(T? Answer, Exception? Refused)> AskAsync<T>(Func<Task<T>> ask, CancellationToken cancellationToken)
        where T : class =>
        DoctorCheck.AskAsync(ask, exception => exception is DiscordApiException, cancellationToken);
}
