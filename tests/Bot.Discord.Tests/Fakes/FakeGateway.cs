using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// A loopback stand-in for Discord's gateway (API v10, JSON encoding, no compression). It plays Discord's side of
/// the connection lifecycle, checks what Discord checks, and records protocol violations in <see cref="Problems"/>
/// instead of throwing, so a test can assert that a client behaved.
/// </summary>
/// <remarks>
/// <para>One session at a time: a new Identify replaces it. One connection is "current" (the newest still open); the
/// one that completed READY or RESUMED for the session is "live" and receives dispatches. Server actions
/// (op 7, op 9, op 1, close, abort) go to the current connection.</para>
/// <para>Where Discord's docs name no close code the fake chooses: a missing or mistyped field in Identify, Resume or
/// Heartbeat closes with 4002 (decode error); missing or non-integer intents with 4013; a missed heartbeat with
/// <see cref="FakeGatewayOptions.HeartbeatTimeoutCloseCode"/> (4000, resumable). Hello is sent as soon as the socket
/// is accepted, so "Identify before Hello" cannot be observed server-side and is not checked.</para>
/// </remarks>
public sealed partial class FakeGateway : IAsyncDisposable
{
    private const string ResumePath = "/resume/";

    // Codes after which Discord will not let the session be resumed: 4007/4009 say "start a new session",
    // and the no-reconnect codes end the bot's session outright.
    private static readonly HashSet<int> SessionEndingCloseCodes = [4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014];

    private readonly FakeGatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly WebApplication _app;
    private readonly Lock _lock = new();

    // Serialises everything that sends or changes the session, so sequence numbers, replays and the
    // websocket's single-sender rule hold while tests call in from other threads.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly List<JsonObject> _received = [];
    private readonly List<JsonObject> _sent = [];
    private readonly List<string> _problems = [];
    private readonly List<string> _connectQueries = [];
    private readonly List<int?> _clientCloseCodes = [];
    private readonly List<int> _serverCloseCodes = [];
    private readonly List<GatewayConnection> _open = [];
    private readonly HashSet<string> _issuedSessionIds = [];
    private GatewayConnection? _current;
    private GatewaySession? _session;
    private long? _lastIdentifyTimestamp;
    private int _connections;
    private int _identifies;
    private int _resumes;
    private int _heartbeats;
    private int? _closeAfterIdentifyWith;
    private volatile bool _acknowledgeHeartbeats = true;
    private bool _disposed;

    private FakeGateway(FakeGatewayOptions options, TimeProvider time, WebApplication app, Uri url)
    {
        _options = options;
        _time = time;
        _app = app;
        Url = url;
        ResumeUrl = new Uri(url, ResumePath);
    }

    /// <summary>Starts the fake on an ephemeral port of 127.0.0.1.</summary>
    /// <param name="time">
    /// The clock heartbeats, requested heartbeats, identifies and the payload rate are judged by; the system clock unless
    /// a test gives the client's fake clock, so that both sides agree on what is late however busy the machine is.
    /// </param>
    public static async Task<FakeGateway> StartAsync(
        FakeGatewayOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeGatewayOptions();
        // The empty builder reads no appsettings or environment, so nothing in the test output folder can
        // move the listener off loopback.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddLogging();
        var app = builder.Build();
        FakeGateway? gateway = null;
        // Discord sends no websocket pings of its own; liveness is the heartbeat protocol's job.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(context => gateway!.HandleRequestAsync(context));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        gateway = new FakeGateway(options, time ?? TimeProvider.System, app, new Uri($"ws://127.0.0.1:{port}/"));
        return gateway;
    }

    /// <summary>The gateway URL, as <c>GET /gateway/bot</c> would return it; the client appends <c>?v=10&amp;encoding=json</c>.</summary>
    public Uri Url { get; }

    /// <summary>Sent as <c>resume_gateway_url</c> in READY; a Resume must arrive on a connection opened to it.</summary>
    public Uri ResumeUrl { get; }

    /// <summary>The options this fake was started with.</summary>
    public FakeGatewayOptions Options => _options;

    /// <summary>False stops op 11 replies, which makes the connection look zombied to the client.</summary>
    public bool AcknowledgeHeartbeats
    {
        get => _acknowledgeHeartbeats;
        set => _acknowledgeHeartbeats = value;
    }

    /// <summary>When set, the next Identify is answered by closing with this code (then it resets to null).</summary>
    public int? CloseAfterIdentifyWith
    {
        get { lock (_lock) { return _closeAfterIdentifyWith; } }
        set { lock (_lock) { _closeAfterIdentifyWith = value; } }
    }

    /// <summary>The id of the newest session (null before the first READY); see <see cref="IsSessionResumable"/>.</summary>
    public string? SessionId { get { lock (_lock) { return _session?.Id; } } }

    /// <summary>Whether the newest session could still be resumed (not discarded by op 9 false, 1000/1001 or 4007/4009).</summary>
    public bool IsSessionResumable { get { lock (_lock) { return _session is { Valid: true }; } } }

    /// <summary>The highest sequence number the session has assigned (0 before READY).</summary>
    public int LastSequence { get { lock (_lock) { return _session?.Sequence ?? 0; } } }

    /// <summary>Whether an open connection has completed READY or RESUMED for a resumable session.</summary>
    public bool IsLive { get { lock (_lock) { return LiveConnection() is not null; } } }

    /// <summary>WebSocket connections accepted so far.</summary>
    public int Connections { get { lock (_lock) { return _connections; } } }

    /// <summary>Identify payloads received (valid or not).</summary>
    public int Identifies { get { lock (_lock) { return _identifies; } } }

    /// <summary>Resume payloads received (successful or not).</summary>
    public int Resumes { get { lock (_lock) { return _resumes; } } }

    /// <summary>Heartbeat payloads received from the client.</summary>
    public int Heartbeats { get { lock (_lock) { return _heartbeats; } } }

    /// <summary>Every well-formed JSON object the client sent, in arrival order, across connections.</summary>
    public IReadOnlyList<JsonObject> Received { get { lock (_lock) { return [.. _received]; } } }

    /// <summary>Every payload the fake sent, in order, across connections.</summary>
    public IReadOnlyList<JsonObject> Sent { get { lock (_lock) { return [.. _sent]; } } }

    /// <summary>Protocol violations by the client, each naming the connection and what Discord would have done.</summary>
    public IReadOnlyList<string> Problems { get { lock (_lock) { return [.. _problems]; } } }

    /// <summary>The query string (with its leading '?', or empty) of each connection, in order.</summary>
    public IReadOnlyList<string> ConnectQueries { get { lock (_lock) { return [.. _connectQueries]; } } }

    /// <summary>For each connection the client ended: its close code, or null when it dropped without a close frame.</summary>
    public IReadOnlyList<int?> ClientCloseCodes { get { lock (_lock) { return [.. _clientCloseCodes]; } } }

    /// <summary>Close codes the fake sent, in order.</summary>
    public IReadOnlyList<int> ServerCloseCodes { get { lock (_lock) { return [.. _serverCloseCodes]; } } }

    /// <summary>The body <c>GET /gateway/bot</c> would return for this fake (one shard, max_concurrency 1).</summary>
    public JsonObject CreateGatewayBotResponse() => new()
    {
        ["url"] = Url.ToString(),
        ["shards"] = 1,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = 1000,
            ["remaining"] = 1000,
            ["reset_after"] = 86_400_000,
            ["max_concurrency"] = 1,
        },
    };

    /// <summary>
    /// Waits until a connection has completed READY or RESUMED and is still open. Right after asking for a
    /// reconnect the old connection may still count; wait on <see cref="Resumes"/> or <see cref="Identifies"/> then.
    /// </summary>
    public Task WaitForSessionAsync(TimeSpan timeout) => WaitForAsync(gateway => gateway.IsLive, timeout);

    /// <summary>Polls <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> describing the fake's state.</summary>
    public async Task WaitForAsync(Func<FakeGateway, bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = Stopwatch.GetTimestamp();
        while (!condition(this))
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Condition not met within {timeout.TotalMilliseconds:0} ms. {Describe()}");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>A one-line summary of counters, session and problems, for assertion messages.</summary>
    public string Describe()
    {
        lock (_lock)
        {
            var problems = _problems.Count == 0 ? "none" : string.Join(" | ", _problems);
            return $"connections={_connections} identifies={_identifies} resumes={_resumes} heartbeats={_heartbeats} " +
                $"session={_session?.Id ?? "none"} resumable={_session is { Valid: true }} seq={_session?.Sequence ?? 0} " +
                $"live={LiveConnection() is not null} clientCloses=[{string.Join(",", _clientCloseCodes.Select(code => code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"))}] " +
                $"serverCloses=[{string.Join(",", _serverCloseCodes)}] problems: {problems}";
        }
    }

    /// <summary>
    /// Assigns the session's next sequence number to an event, keeps it for replay on Resume, and sends it if a
    /// connection is live. Returns the sequence number.
    /// </summary>
    /// <exception cref="InvalidOperationException">No resumable session exists (Discord dispatches only into a session).</exception>
    public async Task<int> DispatchAsync(string eventName, JsonNode data)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(data);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            int sequence;
            GatewayConnection? live;
            JsonObject payload;
            lock (_lock)
            {
                var session = _session is { Valid: true } ? _session : throw new InvalidOperationException($"No resumable session to dispatch {eventName} into. {Describe()}");
                sequence = ++session.Sequence;
                payload = DispatchPayload(eventName, data.DeepClone(), sequence);
                session.Buffer.Add(payload);
                live = LiveConnection();
            }

            if (live is not null)
            {
                await SendLockedAsync(live, payload).ConfigureAwait(false);
            }

            return sequence;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends op 7 on the current connection; the client should close it (not with 1000/1001) and Resume.</summary>
    public async Task SendReconnectAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var connection = CurrentConnectionOrThrow("send Reconnect");
            lock (_lock)
            {
                connection.ReconnectRequested = true;
                if (_session is not null)
                {
                    _session.ReconnectRequested = true;
                }
            }

            await SendLockedAsync(connection, Envelope(7, null)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends op 9 with <c>d</c> = <paramref name="resumable"/> on the current connection. With false the session is
    /// discarded, so a later Resume gets op 9 false. Either way the connection stops being live and may Identify again.
    /// </summary>
    public async Task SendInvalidSessionAsync(bool resumable)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var connection = CurrentConnectionOrThrow("send Invalid Session");
            lock (_lock)
            {
                if (!resumable && _session is not null)
                {
                    _session.Valid = false;
                }

                if (_session?.Connection == connection)
                {
                    _session.Connection = null;
                }

                connection.Authenticated = false;
                connection.Identified = false;
            }

            await SendLockedAsync(connection, Envelope(9, resumable)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends op 1 on the current connection; the client must heartbeat at once (see <see cref="FakeGatewayOptions.RequestedHeartbeatDeadline"/>).</summary>
    public async Task RequestHeartbeatAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var connection = CurrentConnectionOrThrow("request a heartbeat");
            lock (_lock)
            {
                connection.HeartbeatRequestedAt ??= _time.GetTimestamp();
            }

            await SendLockedAsync(connection, Envelope(1, null)).ConfigureAwait(false);
            connection.WakeWatchdog();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Closes the current connection with <paramref name="closeCode"/>. After 4007, 4009 or a no-reconnect code
    /// (4004, 4010-4014) the session can no longer be resumed; other codes keep it resumable.
    /// </summary>
    public async Task CloseAsync(int closeCode)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var connection = CurrentConnectionOrThrow($"close with {closeCode}");
            await CloseLockedAsync(connection, closeCode, "closed by the test").ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops the current connection without a close frame; the session stays resumable.</summary>
    public void Abort()
    {
        GatewayConnection connection;
        lock (_lock)
        {
            connection = _current ?? throw new InvalidOperationException($"No open connection to abort. {Describe()}");
        }

        connection.Abort();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        GatewayConnection[] open;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            open = [.. _open];
        }

        // Kestrel waits for running requests on shutdown, and a websocket request runs until its socket ends.
        foreach (var connection in open)
        {
            connection.Abort();
        }

        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(shutdown.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private GatewayConnection CurrentConnectionOrThrow(string action)
    {
        lock (_lock)
        {
            return _current ?? throw new InvalidOperationException($"No open connection to {action} on. {Describe()}");
        }
    }

    // Caller holds _lock.
    private GatewayConnection? LiveConnection() =>
        _session is { Valid: true, Connection: { Authenticated: true, Ended: false } live } ? live : null;

    private void AddProblem(GatewayConnection? connection, string problem)
    {
        lock (_lock)
        {
            _problems.Add(connection is null ? problem : $"connection {connection.Number}: {problem}");
        }
    }

    // Caller holds _gate: the websocket allows one send at a time.
    private async Task SendLockedAsync(GatewayConnection connection, JsonObject payload)
    {
        if (!connection.CanSend)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        lock (_lock)
        {
            _sent.Add((JsonObject)payload.DeepClone());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await connection.Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client vanished mid-send; the receive loop will notice and end the connection.
        }
    }

    // Caller holds _gate.
    private async Task CloseLockedAsync(GatewayConnection connection, int closeCode, string reason)
    {
        lock (_lock)
        {
            if (connection.ServerClosing || connection.Ended)
            {
                return;
            }

            connection.ServerClosing = true;
            _serverCloseCodes.Add(closeCode);
            if (SessionEndingCloseCodes.Contains(closeCode) && _session is not null && (_session.Connection == connection || connection.Session == _session))
            {
                _session.Valid = false;
            }
        }

        connection.WakeWatchdog();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await connection.Socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            connection.Abort();
            return;
        }

        connection.AbortIfNotClosedWithin(TimeSpan.FromSeconds(2));
    }

    private static JsonObject Envelope(int op, JsonNode? data) => new()
    {
        ["op"] = op,
        ["d"] = data,
        ["s"] = null,
        ["t"] = null,
    };

    private static JsonObject DispatchPayload(string eventName, JsonNode? data, int sequence) => new()
    {
        ["op"] = 0,
        ["d"] = data,
        ["s"] = sequence,
        ["t"] = eventName,
    };

    private sealed class GatewaySession(string id)
    {
        public string Id { get; } = id;

        public int Sequence { get; set; }

        public bool Valid { get; set; } = true;

        public bool ReconnectRequested { get; set; }

        public GatewayConnection? Connection { get; set; }

        public List<JsonObject> Buffer { get; } = [];
    }
}
