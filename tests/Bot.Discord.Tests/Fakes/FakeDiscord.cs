using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// A loopback stand-in for Discord's REST API (v10) that plays Discord's side strictly: it serves the routes a
/// slash-command bot uses, answers the way Discord answers, and records every request Discord would reject or
/// punish in <see cref="Problems"/>, so a test can end with <c>Assert.Empty(fake.Problems)</c>.
/// Faults the test asks for (<see cref="InjectStatus"/>, <see cref="InjectRateLimit"/>) are not problems.
/// Interaction responses and follow-ups are kept on their <see cref="FakeInteraction"/>, not in channel history.
/// </summary>
public sealed partial class FakeDiscord : IAsyncDisposable
{
    /// <summary>The token the fake accepts in <c>Authorization: Bot &lt;token&gt;</c>.</summary>
    public const string BotToken = "fake-discord-bot-token";

    /// <summary>The bot's application id (also its user id, as for apps created since 2021).</summary>
    public const string ApplicationId = "1100000000000000000";

    /// <summary>The bot user's id, the author of every message the bot creates.</summary>
    public const string BotUserId = ApplicationId;

    /// <summary>The bot user's name.</summary>
    public const string BotUsername = "tutor-bot";

    /// <summary>
    /// The bot user's 4-digit tag. Bot users stay on the legacy username system (change log, "Unique usernames on
    /// Discord", 2023-05-03); <c>"0"</c> marks a person migrated to unique usernames.
    /// </summary>
    public const string BotDiscriminator = "4821";

    private const string ApiPrefix = "/api/v10";

    private static readonly Regex UserAgentPattern = new(@"^DiscordBot \([^\s,()]+, [^\s,()]+\)", RegexOptions.CultureInvariant);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly WebApplication _app;
    private readonly List<FakeRequest> _requests = [];
    private readonly List<string> _problems = [];
    private readonly List<FakePing> _pings = [];
    private int _invalidRequests;

    private FakeDiscord(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>Base of every route, <c>http://127.0.0.1:{port}/api/v10/</c> (trailing slash).</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The <c>url</c> that <c>GET /gateway</c> and <c>GET /gateway/bot</c> return.</summary>
    public Uri GatewayUrl { get; set; } = new("wss://gateway.discord.gg");

    /// <summary><c>session_start_limit.remaining</c> of <c>GET /gateway/bot</c>.</summary>
    public int SessionStartRemaining { get; set; } = 1000;

    /// <summary><c>session_start_limit.reset_after</c> (milliseconds) of <c>GET /gateway/bot</c>.</summary>
    public long SessionStartResetAfterMs { get; set; }

    /// <summary><c>session_start_limit.max_concurrency</c> of <c>GET /gateway/bot</c>.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary><c>shards</c> of <c>GET /gateway/bot</c>.</summary>
    public int Shards { get; set; } = 1;

    /// <summary>How long after <see cref="NewInteraction"/> an initial response is still accepted (Discord: 3 s).</summary>
    public TimeSpan InitialResponseDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an interaction token works on the webhook routes (Discord: 15 min).</summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far back <c>enforce_nonce</c> looks for the same nonce ("the past few minutes" in Discord's docs).</summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The application's public key as <c>GET /applications/@me</c> reports it (<c>verify_key</c>, hex): by default
    /// the public key of RFC 8032 §7.1 TEST 1, which a default <c>InteractionSigner</c> signs with, so a bot configured
    /// from a default signer matches.
    /// </summary>
    public string VerifyKey { get; set; } = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    /// <summary>
    /// How far the platform's clock is ahead of the fake's <see cref="TimeProvider"/> (negative: behind). It moves
    /// the wall-clock readings Discord announces, the <c>Date</c> header of every response and
    /// <c>X-RateLimit-Reset</c>; deadlines, windows, message timestamps and <c>X-RateLimit-Reset-After</c> keep
    /// following the TimeProvider.
    /// </summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>Every request received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Protocol violations noticed so far, each naming the route and what was wrong (a snapshot).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return _problems.ToList();
            }
        }
    }

    /// <summary>Answers with 401, 403 or 429: what counts toward Discord's invalid-request (Cloudflare ban) limit.</summary>
    public int InvalidRequestCount
    {
        get
        {
            lock (_gate)
            {
                return _invalidRequests;
            }
        }
    }

    /// <summary>Mentions that would have notified someone (a snapshot); see <c>allowed_mentions</c>.</summary>
    public IReadOnlyList<FakePing> Pings
    {
        get
        {
            lock (_gate)
            {
                return _pings.ToList();
            }
        }
    }

    /// <summary>Starts the fake on a free loopback port, with the system clock.</summary>
    public static Task<FakeDiscord> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts the fake on a free loopback port; deadlines, nonce windows and rate limits follow <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeDiscord> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDiscord(app, timeProvider);
        app.Run(fake.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        fake.ApiBaseUrl = new Uri(address.TrimEnd('/') + ApiPrefix + "/");
        return fake;
    }

    /// <summary>Polls the fake's state until <paramref name="condition"/> holds.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message lists recent requests and problems.</exception>
    public async Task WaitForAsync(Func<FakeDiscord, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalSeconds:0.###} s.{Environment.NewLine}{DescribeState()}");
            }

            await Task.Delay(10);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A readable summary of recent requests and all problems, for failure messages.</summary>
    public string DescribeState()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Requests ({_requests.Count}, last 20):");
            foreach (var request in _requests.TakeLast(20))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {Redact(request.Method, request.Path)} -> {request.Status}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"Problems ({_problems.Count}):");
            foreach (var problem in _problems)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {problem}");
            }
        }

        return text.ToString();
    }

    private static string Redact(string method, string path) =>
        path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal)
            ? RouteInfo.Of(method, SplitSegments(path)).Where
            : $"{method} {path}";

    // The same instant read on the platform's clock; a bucket's "never reset" sentinel (MinValue) stays representable.
    private DateTimeOffset OnPlatformClock(DateTimeOffset at) =>
        ClockOffset < TimeSpan.Zero && at - DateTimeOffset.MinValue < -ClockOffset ? DateTimeOffset.MinValue : at + ClockOffset;

    private static string[] SplitSegments(string path) =>
        path[ApiPrefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = _time.GetUtcNow();
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var call = new Call(
            request.Method,
            request.Path.Value ?? "/",
            request.QueryString.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            request.ContentType,
            body,
            arrived);

        Answer answer;
        lock (_gate)
        {
            answer = Process(call);
            _requests.Add(new FakeRequest(call.Method, call.Path, call.Query, call.Headers, call.Body, answer.Status, arrived));
            if (answer.Status is 401 or 403 or 429)
            {
                _invalidRequests++;
            }
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }

        // Discord's edge (Cloudflare) dates every response, in IMF-fixdate (RFC 1123) form, to the second.
        context.Response.Headers.Date = OnPlatformClock(_time.GetUtcNow()).UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body.ToJsonString(), context.RequestAborted);
        }
    }

    // Runs under the gate: checks in the order Discord's edge does (auth, rate limits, body), then serves the route.
    private Answer Process(Call call)
    {
        if (!call.Path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal))
        {
            call.Where = $"{call.Method} {call.Path}";
            return Reject(call.Where, 404, 0, "404: Not Found", "path is not under /api/v10 (unversioned routes use the deprecated default API version)");
        }

        call.Segments = SplitSegments(call.Path);
        call.RelativePath = "/" + string.Join('/', call.Segments);
        var route = RouteInfo.Of(call.Method, call.Segments);
        call.Where = route.Where;

        CheckUserAgent(call);
        if (route.NeedsBotToken && !HasBotToken(call))
        {
            return Reject(call.Where, 401, 0, "401: Unauthorized", "missing or wrong 'Authorization: Bot <token>' header");
        }

        var limited = ApplyRateLimits(call, route);
        if (limited is not null)
        {
            return limited;
        }

        var answer = ParseBody(call) ?? Dispatch(call);
        if (call.StatusAfterProcessing is { } injected)
        {
            answer = Answer.Error(injected, 0, StatusText(injected));
        }

        foreach (var (name, value) in call.RateLimitHeaders)
        {
            answer.Headers[name] = value;
        }

        return answer;
    }

    private void CheckUserAgent(Call call)
    {
        if (!call.Headers.TryGetValue("User-Agent", out var agent) || !UserAgentPattern.IsMatch(agent))
        {
            Problem(call.Where, $"User-Agent '{agent}' is not of the form 'DiscordBot ($url, $versionNumber)'");
        }
    }

    private static bool HasBotToken(Call call) =>
        call.Headers.TryGetValue("Authorization", out var authorization)
        && string.Equals(authorization, "Bot " + BotToken, StringComparison.Ordinal);

    private Answer? ParseBody(Call call)
    {
        if (call.Body.Length == 0)
        {
            return null;
        }

        var mediaType = call.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            var errors = new FormErrors();
            errors.Add("", "CONTENT_TYPE_INVALID", $"Expected \"Content-Type\" header to be one of {{'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'}} (the fake serves only JSON); got '{call.ContentType}'.");
            return Invalid(call.Where, errors);
        }

        try
        {
            call.Json = JsonNode.Parse(call.Body);
            return null;
        }
        catch (JsonException exception)
        {
            return Reject(call.Where, 400, 50109, "The request body contains invalid JSON.", $"body is not JSON ({exception.Message})");
        }
    }

    private Answer Dispatch(Call call)
    {
        var method = call.Method;
        switch (call.Segments)
        {
            case ["gateway"] when method == "GET":
                return Gateway(withSessionLimits: false);
            case ["gateway", "bot"] when method == "GET":
                return Gateway(withSessionLimits: true);
            case ["users", "@me"] when method == "GET":
                return CurrentUser();
            case ["applications", "@me"] when method == "GET":
                return CurrentApplication();
            case ["guilds", var guild] when method == "GET":
                return GetGuild(call, guild);
            case ["guilds", var guild, "roles"] when method == "GET":
                return GetGuildRoles(call, guild);
            case ["guilds", var guild, "members", var user] when method == "GET":
                return GetGuildMember(call, guild, user);
            case ["channels", var channel] when method == "GET":
                return GetChannel(call, channel);
            case ["applications", var application, "commands"]:
                return Commands(call, application, guildId: null);
            case ["applications", var application, "guilds", var guild, "commands"]:
                return Commands(call, application, guild);
            case ["channels", var channel, "messages"]:
                return method switch
                {
                    "GET" => ListMessages(call, channel),
                    "POST" => CreateMessage(call, channel),
                    _ => MethodNotAllowed(call),
                };
            case ["channels", var channel, "messages", var message]:
                return method switch
                {
                    "GET" => GetMessage(call, channel, message),
                    "PATCH" => EditMessage(call, channel, message),
                    "DELETE" => DeleteMessage(call, channel, message),
                    _ => MethodNotAllowed(call),
                };
            case ["interactions", var id, var token, "callback"] when method == "POST":
                return InteractionCallback(call, id, token);
            case ["webhooks", var application, var token]:
                return method == "POST" ? Followup(call, application, token) : MethodNotAllowed(call);
            case ["webhooks", var application, var token, "messages", var message]:
                return WebhookMessage(call, application, token, message);
            default:
                return Reject(call.Where, 404, 0, "404: Not Found", "route not served by the fake (or not a Discord route)");
        }
    }

    private Answer Gateway(bool withSessionLimits)
    {
        var body = new JsonObject { ["url"] = GatewayUrl.OriginalString };
        if (withSessionLimits)
        {
            body["shards"] = Shards;
            body["session_start_limit"] = new JsonObject
            {
                ["total"] = 1000,
                ["remaining"] = SessionStartRemaining,
                ["reset_after"] = SessionStartResetAfterMs,
                ["max_concurrency"] = MaxConcurrency,
            };
        }

        return Answer.Ok(body);
    }

    private Answer MethodNotAllowed(Call call) =>
        Reject(call.Where, 405, 0, "405: Method Not Allowed", "method not allowed on this route");

    private void Problem(string where, string text) => _problems.Add($"{where}: {text}");

    private Answer Reject(string where, int status, int code, string message, string problem)
    {
        Problem(where, problem);
        return Answer.Error(status, code, message);
    }

    private Answer Invalid(string where, FormErrors errors)
    {
        Problem(where, $"400 Invalid Form Body: {errors.Summary()}");
        return Answer.Error(400, 50035, "Invalid Form Body", errors.ToJson());
    }

    private static string StatusText(int status) => status switch
    {
        400 => "400: Bad Request",
        401 => "401: Unauthorized",
        403 => "403: Forbidden",
        404 => "404: Not Found",
        500 => "500: Internal Server Error",
        502 => "502: Bad Gateway",
        503 => "503: Service Unavailable",
        504 => "504: Gateway Timeout",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };

    private static string Iso(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static JsonObject BotAuthor() => UserJson(BotUserId, BotUsername, BotDiscriminator, bot: true);

    /// <summary>One request on its way through <see cref="Process"/>.</summary>
    private sealed class Call(
        string method,
        string path,
        string query,
        Dictionary<string, string> headers,
        Dictionary<string, string> queryValues,
        string? contentType,
        string body,
        DateTimeOffset at)
    {
        public string Method { get; } = method;

        public string Path { get; } = path;

        public string Query { get; } = query;

        public Dictionary<string, string> Headers { get; } = headers;

        public Dictionary<string, string> QueryValues { get; } = queryValues;

        public string? ContentType { get; } = contentType;

        public string Body { get; } = body;

        public DateTimeOffset At { get; } = at;

        public string[] Segments { get; set; } = [];

        /// <summary>Path relative to /api/v10, e.g. /channels/1/messages; what fault injection matches against.</summary>
        public string RelativePath { get; set; } = "";

        /// <summary>"METHOD /route" with tokens replaced by {token}: the prefix of every problem.</summary>
        public string Where { get; set; } = "";

        public JsonNode? Json { get; set; }

        public Dictionary<string, string> RateLimitHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

        public int? StatusAfterProcessing { get; set; }
    }

    /// <summary>What the fake answers: status, JSON body or none, headers.</summary>
    private sealed class Answer(int status, JsonNode? body)
    {
        public int Status { get; } = status;

        public JsonNode? Body { get; } = body;

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static Answer Ok(JsonNode body) => new(200, body);

        public static Answer NoContent() => new(204, null);

        public static Answer Error(int status, int code, string message, JsonObject? errors = null)
        {
            var body = new JsonObject { ["message"] = message, ["code"] = code };
            if (errors is not null)
            {
                body["errors"] = errors;
            }

            return new Answer(status, body);
        }
    }

    /// <summary>How a route is authenticated and rate limited, and how it is named in problems (tokens redacted).</summary>
    private sealed record RouteInfo(string Where, string Template, string MajorParameter, bool NeedsBotToken, bool CountsTowardGlobalLimit)
    {
        public static RouteInfo Of(string method, string[] segments)
        {
            var tokenRoute = segments is ["interactions", _, _, ..] or ["webhooks", _, _, ..];
            var shown = new string[segments.Length];
            var template = new string[segments.Length];
            for (var i = 0; i < segments.Length; i++)
            {
                var isToken = tokenRoute && i == 2;
                shown[i] = isToken ? "{token}" : segments[i];
                template[i] = isToken ? "{token}" : Snowflakes.IsSnowflake(segments[i]) ? "{id}" : segments[i];
            }

            var major = segments switch
            {
                ["channels", var channel, ..] => "channel " + channel,
                ["guilds", var guild, ..] => "guild " + guild,
                ["applications", _, "guilds", var guild, ..] => "guild " + guild,
                ["webhooks", var webhook, var token, ..] => $"webhook {webhook}/{token}",
                ["interactions", var interaction, var token, ..] => $"interaction {interaction}/{token}",
                _ => "",
            };

            var tokenAuthenticated = segments is ["interactions", _, _, "callback"] or ["webhooks", _, _, ..] or ["gateway"];
            return new RouteInfo(
                $"{method} /{string.Join('/', shown)}",
                $"{method} /{string.Join('/', template)}",
                major,
                NeedsBotToken: !tokenAuthenticated,
                CountsTowardGlobalLimit: !tokenAuthenticated);
        }
    }
}
