using System.Diagnostics;
using System.Net.WebSockets;
using Bot.Adapters.Connections;
using Bot.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Adapters.Tests.Connections;

/// <summary>
/// A protocol whose connections run as the test scripts them, one script per attempt in order (then
/// <see cref="Otherwise"/>), recording what the loop tells it.
/// </summary>
internal sealed class ScriptedProtocol : IWebSocketProtocol
{
    private readonly Queue<Func<WebSocketAttempt, CancellationToken, Task<ConnectionOutcome>>> _scripts = new();
    private readonly List<WebSocketAttempt> _attempts = [];
    private readonly List<Reconnect> _reconnects = [];
    private readonly List<ConnectionOutcome> _failures = [];
    private readonly List<Exception> _unexpected = [];
    private int _stops;

    public string Name => "the test server";

    /// <summary>What attempts past the scripted ones do: fail at once.</summary>
    public Func<WebSocketAttempt, CancellationToken, Task<ConnectionOutcome>> Otherwise { get; set; } =
        (_, _) => Task.FromResult(ConnectionOutcome.Reconnect("the test server is down"));

    public IReadOnlyList<WebSocketAttempt> Attempts
    {
        get { lock (_attempts) { return [.. _attempts]; } }
    }

    public IReadOnlyList<Reconnect> Reconnects
    {
        get { lock (_attempts) { return [.. _reconnects]; } }
    }

    public IReadOnlyList<ConnectionOutcome> Failures
    {
        get { lock (_attempts) { return [.. _failures]; } }
    }

    public IReadOnlyList<Exception> Unexpected
    {
        get { lock (_attempts) { return [.. _unexpected]; } }
    }

    public int Stops => Volatile.Read(ref _stops);

    public ScriptedProtocol Then(Func<WebSocketAttempt, CancellationToken, Task<ConnectionOutcome>> script)
    {
        _scripts.Enqueue(script);
        return this;
    }

    public ScriptedProtocol Then(ConnectionOutcome outcome) => Then((_, _) => Task.FromResult(outcome));

    public Task<ConnectionOutcome> RunAsync(WebSocketAttempt attempt, CancellationToken stoppingToken)
    {
        Func<WebSocketAttempt, CancellationToken, Task<ConnectionOutcome>> script;
        lock (_attempts)
        {
            _attempts.Add(attempt);
            script = _scripts.Count > 0 ? _scripts.Dequeue() : Otherwise;
        }

        return script(attempt, stoppingToken);
    }

    public void OnReconnecting(ConnectionOutcome outcome, int failures, TimeSpan delay)
    {
        lock (_attempts)
        {
            _reconnects.Add(new Reconnect(outcome, failures, delay));
        }
    }

    public void OnFailed(ConnectionOutcome outcome)
    {
        lock (_attempts)
        {
            _failures.Add(outcome);
        }
    }

    public void OnStopped() => Interlocked.Increment(ref _stops);

    public void OnUnexpected(Exception exception)
    {
        lock (_attempts)
        {
            _unexpected.Add(exception);
        }
    }

    /// <summary>Ready, then runs until the host stops, and says so.</summary>
    public static async Task<ConnectionOutcome> ServeUntilStoppedAsync(WebSocketAttempt attempt, CancellationToken stoppingToken)
    {
        attempt.Ready("serving");
        await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return ConnectionOutcome.Stopped;
    }

    internal sealed record Reconnect(ConnectionOutcome Outcome, int Failures, TimeSpan Delay);
}

/// <summary>A host's lifetime whose start the test announces.</summary>
internal sealed class TestLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _started = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _stopped = new();

    public CancellationToken ApplicationStarted => _started.Token;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => _stopped.Token;

    public void Started() => _started.Cancel();

    public void StopApplication() => _stopping.Cancel();

    public void Dispose()
    {
        _started.Dispose();
        _stopping.Dispose();
        _stopped.Dispose();
    }
}

/// <summary>A <see cref="ReconnectingWebSocket"/> running a protocol on a fake clock until the test stops it.</summary>
internal sealed class LoopRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    private LoopRun(ScriptedProtocol protocol, ReconnectOptions options, ConnectionStatus status, IHostApplicationLifetime? lifetime)
    {
        Protocol = protocol;
        Status = status;
        Loop = new ReconnectingWebSocket(protocol, Platform.Slack, status, options, Time, lifetime: lifetime);
        Run = Loop.RunAsync(_stopping.Token);
    }

    public ScriptedProtocol Protocol { get; }

    public RecordingTimeProvider Time { get; } = new();

    public ConnectionStatus Status { get; }

    public ReconnectingWebSocket Loop { get; }

    public Task Run { get; }

    public static LoopRun Start(
        ScriptedProtocol protocol, ReconnectOptions? options = null, ConnectionStatus? status = null, IHostApplicationLifetime? lifetime = null) =>
        new(protocol, options ?? new ReconnectOptions(), status ?? new ConnectionStatus(), lifetime);

    public Task WaitForAttemptsAsync(int count) =>
        Eventually.TrueAsync(() => Protocol.Attempts.Count >= count, $"{count} attempts");

    public Task WaitForReconnectsAsync(int count) =>
        Eventually.TrueAsync(() => Protocol.Reconnects.Count >= count, $"{count} reconnects");

    /// <summary>Stops the loop as the host would, and waits for it to return.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await Run.WaitAsync(Eventually.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _stopping.Dispose();
        }
    }
}

/// <summary>A WebSocket server on 127.0.0.1 that runs <see cref="Handle"/> for each connection and counts them.</summary>
internal sealed class LoopbackWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;

    private LoopbackWebSocketServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>What the server does with connection number n (1-based).</summary>
    public Func<WebSocket, int, Task> Handle { get; set; } = static (_, _) => Task.CompletedTask;

    public static async Task<LoopbackWebSocketServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackWebSocketServer(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(server.AcceptAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/socket");
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var number = Interlocked.Increment(ref _connections);
        try
        {
            await Handle(socket, number);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            // The client went away; that is what several tests are about.
        }
    }
}
