using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// A loopback stand-in for Slack that plays Slack's side strictly: the Web API (<c>/api/&lt;method&gt;</c>),
/// response_urls (<c>/hooks/…</c>) and the Socket Mode WebSocket server (<c>/socket/…</c>). It answers the way
/// Slack answers and records in <see cref="Problems"/> every request that is a client bug Slack would reject or
/// punish (missing arguments, invalid blocks, wrong content type, retries inside a Retry-After window, late acks...),
/// so a test can end with <c>Assert.Empty(fake.Problems)</c>. State-dependent answers a correct client can meet
/// (<c>channel_not_found</c> for a channel the test did not add, <c>not_in_channel</c>, <c>message_not_found</c>,
/// <c>missing_scope</c> for a scope the test withheld, a revoked token) and injected faults are not problems. Every
/// response carries a <c>Date</c> header from Slack's clock (<see cref="SlackNow"/>).
/// </summary>
public sealed partial class FakeSlack : IAsyncDisposable
{
    /// <summary>The bot token the Web API accepts in <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public const string BotToken = "xoxb-fakebot";

    /// <summary>The app-level token, accepted only by <c>apps.connections.open</c>.</summary>
    public const string AppToken = "xapp-fakeapp";

    /// <summary>The signing secret <see cref="SlackSigner"/> uses by default.</summary>
    public const string SigningSecret = "fake-signing-secret";

    /// <summary>The workspace id.</summary>
    public const string TeamId = "T0FAKE001";

    /// <summary>The app id (Socket Mode <c>connection_info.app_id</c>, payloads' <c>api_app_id</c>).</summary>
    public const string AppId = "A0FAKE001";

    /// <summary>The bot user's id (<c>auth.test</c> <c>user_id</c>, author of the bot's messages).</summary>
    public const string BotUserId = "U0FAKEBOT";

    /// <summary>The bot id (<c>auth.test</c> <c>bot_id</c>, messages' <c>bot_id</c>).</summary>
    public const string BotId = "B0FAKEBOT";

    /// <summary>The workspace domain (<c>team_domain</c> of payloads).</summary>
    public const string TeamDomain = "fakeschool";

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly WebApplication _app;
    private readonly List<FakeSlackRequest> _requests = [];
    private readonly List<string> _problems = [];
    private readonly List<FakeSlackPing> _pings = [];

    private FakeSlack(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
        SocketMode = new FakeSocketMode(this, time);
    }

    /// <summary>Base of the Web API, <c>http://127.0.0.1:{port}/api/</c> (trailing slash).</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The server's root, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The Socket Mode side: connections, envelopes and acks.</summary>
    public FakeSocketMode SocketMode { get; }

    /// <summary>Every HTTP request received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeSlackRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Protocol violations noticed so far, each naming where and what was wrong (a snapshot).</summary>
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

    /// <summary>Mentions in text the bot sent that would notify someone (a snapshot); Slack has no allowed_mentions.</summary>
    public IReadOnlyList<FakeSlackPing> Pings
    {
        get
        {
            lock (_gate)
            {
                return _pings.ToList();
            }
        }
    }

    /// <summary>Starts the fake on a free loopback port using the system clock.</summary>
    public static Task<FakeSlack> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts the fake on a free loopback port; response_url expiry, Retry-After windows, rate budgets and ack deadlines follow <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeSlack> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlack(app, timeProvider);
        // Kestrel's keep-alive pings stand in for the WebSocket pings Slack sends.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(5) });
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
        fake.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        fake.ApiBaseUrl = new Uri(fake.BaseAddress, "api/");
        return fake;
    }

    /// <summary>Polls the fake's state until <paramref name="condition"/> holds.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message summarises requests, problems and sockets.</exception>
    public async Task WaitForAsync(Func<FakeSlack, bool> condition, TimeSpan timeout)
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
        SocketMode.Shutdown();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A readable summary of recent requests, all problems and the Socket Mode state, for failure messages.</summary>
    public string DescribeState()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Requests ({_requests.Count}, last 20):");
            foreach (var request in _requests.TakeLast(20))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {request.Method} {request.Path} -> {request.Status}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"Problems ({_problems.Count}):");
            foreach (var problem in _problems)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {problem}");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"Pings ({_pings.Count}).");
        }

        text.AppendLine(SocketMode.Describe());
        return text.ToString();
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    internal void AddProblem(string problem)
    {
        lock (_gate)
        {
            _problems.Add(problem);
        }
    }

    internal void AddPings(IEnumerable<FakeSlackPing> pings)
    {
        lock (_gate)
        {
            _pings.AddRange(pings);
        }
    }

    internal void RecordRequest(HttpContext context, string body, int status, DateTimeOffset at)
    {
        var headers = context.Request.Headers.ToDictionary(
            pair => pair.Key, pair => pair.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new FakeSlackRequest(
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.QueryString.Value ?? string.Empty,
            headers,
            body,
            status,
            at);
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        SetDateHeader(context.Response);
        var path = context.Request.Path.Value ?? string.Empty;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            await HandleWebApiAsync(context, path["/api/".Length..]);
        }
        else if (path.StartsWith("/hooks/", StringComparison.Ordinal))
        {
            await HandleResponseUrlAsync(context, path["/hooks/".Length..]);
        }
        else if (path.StartsWith("/socket/", StringComparison.Ordinal))
        {
            await SocketMode.HandleAsync(context, path["/socket/".Length..]);
        }
        else
        {
            var at = Now;
            var body = await ReadBodyAsync(context.Request);
            AddProblem($"{context.Request.Method} {path}: no such Slack endpoint");
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            RecordRequest(context, body, StatusCodes.Status404NotFound, at);
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonObject body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
