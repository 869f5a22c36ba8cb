using System.Net.WebSockets;
using System.Text.Json;
using Bot.Adapters.Connections;
using Bot.Core;
using Bot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Gateway;

/// <summary>
/// The Discord gateway protocol (API v10, JSON) over a <see cref="ReconnectingWebSocket"/>: it hands every Dispatch event
/// to <see cref="IGatewayDispatchHandler"/> in order, once each. It heartbeats, notices zombie connections, resumes after
/// drops so missed events are replayed, starts a new session when Discord asks, keeps identifies within Discord's limits,
/// and stops for good (<see cref="ConnectionState.Failed"/>) on close codes that need an operator. Stopping closes with
/// 1000 so the bot goes offline at once.
/// </summary>
public sealed partial class GatewayClient : BackgroundService, IWebSocketProtocol
{
    private const string QueryString = "v=10&encoding=json";
    private const long NoSequence = -1;

    /// <summary><c>max_concurrency</c> identifies are allowed per this window.</summary>
    private static readonly TimeSpan IdentifyWindow = TimeSpan.FromSeconds(5);

    private readonly DiscordOptions _options;
    private readonly IGatewayUrlSource _urlSource;
    private readonly IGatewayDispatchHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayClient> _logger;
    private readonly ReconnectingWebSocket _socket;

    private GatewayBotInfo? _gatewayInfo;
    private long _gatewayInfoFetchedAt;
    private int _identifiesLeft;
    private long? _lastIdentifyAt;
    private string? _sessionId;
    private string? _resumeUrl;
    private bool _lastAttemptConnected;

    // Written by the read loop, read by the heartbeat loop.
    private long _sequence = NoSequence;

    public GatewayClient(
        IOptions<DiscordOptions> options,
        IGatewayUrlSource urlSource,
        IGatewayDispatchHandler handler,
        [FromKeyedServices(Platform.Discord)] ConnectionStatus status,
        TimeProvider time,
        ILogger<GatewayClient> logger,
        BotMetrics? metrics = null,
        IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _urlSource = urlSource;
        _handler = handler;
        _time = time;
        _logger = logger;
        _socket = new ReconnectingWebSocket(this, Platform.Discord, status, Reconnect, time, metrics, lifetime);
    }

    /// <summary>
    /// Backoff from 1 s to 60 s; a session that was ready and dropped is resumed at once, since Discord keeps it
    /// resumable only briefly and replays what was missed.
    /// </summary>
    internal ReconnectOptions Reconnect { get; } = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(30),
        MaxSendBytes = GatewayConnection.MaxSendBytes,
    };

    /// <summary>Discord asks for a random wait of 1 to 5 seconds after Invalid Session before identifying again.</summary>
    internal TimeSpan InvalidSessionDelayMin { get; set; } = TimeSpan.FromSeconds(1);

    internal TimeSpan InvalidSessionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    internal TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>After this many failed attempts in a row the gateway URL is fetched again.</summary>
    internal int FailuresBeforeRefresh { get; set; } = 3;

    string IWebSocketProtocol.Name => "the Discord gateway";

    private TimeSpan CloseTimeout => Reconnect.CloseTimeout;

    private long? LastSequence
    {
        get
        {
            var sequence = Interlocked.Read(ref _sequence);
            return sequence == NoSequence ? null : sequence;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _socket.RunAsync(stoppingToken);

    async Task<ConnectionOutcome> IWebSocketProtocol.RunAsync(WebSocketAttempt attempt, CancellationToken stoppingToken)
    {
        var token = _options.BotToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            return ConnectionOutcome.Fatal("No bot token: " + DiscordOptions.TokenFix);
        }

        _lastAttemptConnected = false;
        var resuming = _sessionId is not null && _resumeUrl is not null;
        Uri url;
        try
        {
            if (resuming)
            {
                url = WithQuery(_resumeUrl!);
            }
            else
            {
                var info = await GetGatewayInfoAsync(stoppingToken);
                await WaitForIdentifySlotAsync(attempt, stoppingToken);
                url = WithQuery(info.Url);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested && exception is not ArgumentException)
        {
            LogGatewayUrlFailed(exception);
            return ConnectionOutcome.Resume($"could not get the gateway URL: {exception.Message}");
        }

        var socket = attempt.CreateConnection();
        var endpoint = url.GetLeftPart(UriPartial.Path);
        LogConnecting(endpoint, resuming);
        try
        {
            await socket.ConnectAsync(url, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested
            && exception is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
        {
            LogConnectFailed(exception, endpoint);
            return ConnectionOutcome.Resume($"could not connect to the gateway: {exception.Message}");
        }

        _lastAttemptConnected = true;
        var connection = new GatewayConnection(socket, resuming, _time);
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var stopRegistration = stoppingToken.Register(() => connection.StopTask = CloseForShutdownAsync(connection));
        try
        {
            return await ReadLoopAsync(attempt, connection, token, heartbeatStop.Token, stoppingToken);
        }
        finally
        {
            await stopRegistration.DisposeAsync();
            await heartbeatStop.CancelAsync();
            if (connection.HeartbeatTask is { } heartbeat)
            {
                await heartbeat;
            }

            if (connection.StopTask is null && stoppingToken.IsCancellationRequested)
            {
                connection.StopTask = CloseForShutdownAsync(connection);
            }

            if (connection.StopTask is { } stopping)
            {
                await stopping;
            }
            else
            {
                // Anything but 1000/1001 keeps the session resumable.
                await socket.CloseAsync(GatewayCloseCodes.ClientReconnecting, "reconnecting", CloseTimeout);
            }
        }
    }

    void IWebSocketProtocol.OnReconnecting(ConnectionOutcome outcome, int failures, TimeSpan delay)
    {
        if (outcome.Next == ConnectionNext.Reconnect)
        {
            ForgetSession();
        }

        if (failures >= FailuresBeforeRefresh)
        {
            // Discord: if the resume URL cannot be reached, start over from the cached gateway URL.
            _gatewayInfo = null;
            if (!_lastAttemptConnected)
            {
                ForgetSession();
            }
        }

        LogReconnecting(outcome.Detail, _sessionId is not null, delay, failures);
    }

    void IWebSocketProtocol.OnFailed(ConnectionOutcome outcome) => LogFatal(outcome.CloseCode, outcome.Detail);

    void IWebSocketProtocol.OnStopped() => LogStopped();

    void IWebSocketProtocol.OnUnexpected(Exception exception)
    {
        _lastAttemptConnected = false;
        LogUnexpected(exception);
    }

    private async Task<ConnectionOutcome> ReadLoopAsync(
        WebSocketAttempt attempt, GatewayConnection connection, string token, CancellationToken heartbeatStop, CancellationToken stoppingToken)
    {
        var socket = connection.Socket;
        using var helloDeadline = _time.CreateTimer(
            static state => ((WebSocketConnection)state!).Abort(), socket, HelloTimeout, Timeout.InfiniteTimeSpan);
        var helloReceived = false;
        try
        {
            while (true)
            {
                var frame = await socket.ReceiveAsync();
                if (frame.IsClose)
                {
                    return connection.Ended ?? OnServerClose(frame.CloseCode, frame.CloseDescription);
                }

                using var document = ParseOrNull(frame.Payload);
                if (document is null || document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("op", out var opElement)
                    || opElement.ValueKind != JsonValueKind.Number || !opElement.TryGetInt32(out var op))
                {
                    LogUndecodable(frame.Payload.Length);
                    return ConnectionOutcome.Resume("Discord sent a payload that is not a gateway event");
                }

                var root = document.RootElement;
                var data = root.TryGetProperty("d", out var d) ? d : default;
                switch (op)
                {
                    case GatewayOpcode.Hello when !helloReceived:
                        helloReceived = true;
                        helloDeadline.Dispose();
                        await OnHelloAsync(connection, data, token, heartbeatStop);
                        break;
                    case GatewayOpcode.HeartbeatAck:
                        connection.Acknowledge();
                        break;
                    case GatewayOpcode.Heartbeat:
                        await connection.SendAsync(GatewayPayloads.Heartbeat(LastSequence), isHeartbeat: true);
                        break;
                    case GatewayOpcode.Reconnect:
                        LogReconnectRequested(_sessionId);
                        return ConnectionOutcome.Resume("Discord asked the bot to reconnect (op 7)");
                    case GatewayOpcode.InvalidSession:
                        return OnInvalidSession(data.ValueKind == JsonValueKind.True);
                    case GatewayOpcode.Dispatch:
                        await OnDispatchAsync(attempt, connection, root, data, stoppingToken);
                        break;
                    default:
                        LogUnhandledOpcode(op);
                        break;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // An aborted ClientWebSocket disposes itself, so a read that starts after the abort sees ObjectDisposedException.
            if (connection.Ended is { } ended)
            {
                return ended;
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return ConnectionOutcome.Stopped;
            }

            var detail = helloReceived ? "the gateway connection dropped without a close frame" : "the gateway sent no Hello";
            LogDropped(exception, detail);
            return ConnectionOutcome.Resume(detail);
        }
    }

    private async Task OnHelloAsync(GatewayConnection connection, JsonElement data, string token, CancellationToken heartbeatStop)
    {
        var intervalMs = data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("heartbeat_interval", out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var ms) ? ms : 41_250;
        var interval = TimeSpan.FromMilliseconds(Math.Max(intervalMs, 1));
        connection.UseHeartbeatInterval(interval);
        connection.HeartbeatTask = HeartbeatLoopAsync(connection, interval, heartbeatStop);

        if (connection.Resuming)
        {
            LogResuming(_sessionId!, LastSequence);
            await connection.SendAsync(GatewayPayloads.Resume(token, _sessionId!, LastSequence), isHeartbeat: false);
            return;
        }

        // A new session numbers its events from 1 again.
        Interlocked.Exchange(ref _sequence, NoSequence);
        _lastIdentifyAt = _time.GetTimestamp();
        _identifiesLeft--;
        LogIdentifying(_options.ShardId, _options.ShardCount, _identifiesLeft);
        await connection.SendAsync(GatewayPayloads.Identify(token, _options.ShardId, _options.ShardCount), isHeartbeat: false);
    }

    private async Task OnDispatchAsync(
        WebSocketAttempt attempt, GatewayConnection connection, JsonElement root, JsonElement data, CancellationToken stoppingToken)
    {
        if (root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var sequence))
        {
            var last = Interlocked.Read(ref _sequence);
            if (last != NoSequence && sequence <= last)
            {
                // A replay overlapping what was already handled: delivering it again would run a command twice.
                LogDuplicateSkipped(sequence, last);
                return;
            }

            Interlocked.Exchange(ref _sequence, sequence);
        }

        var eventName = root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        switch (eventName)
        {
            case "READY":
                _sessionId = StringProperty(data, "session_id");
                _resumeUrl = StringProperty(data, "resume_gateway_url") ?? _gatewayInfo?.Url;
                connection.ReachedReady = true;
                var user = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("user", out var userElement)
                    ? StringProperty(userElement, "username") : null;
                LogReady(_sessionId, user, _options.ShardId);
                attempt.Ready($"connected to the Discord gateway (session {_sessionId})");
                break;
            case "RESUMED":
                connection.ReachedReady = true;
                LogResumed(_sessionId, connection.Replayed, LastSequence);
                attempt.Ready($"resumed the Discord gateway session {_sessionId}");
                break;
            default:
                if (connection.Resuming && !connection.ReachedReady)
                {
                    connection.Replayed++;
                }

                break;
        }

        try
        {
            await _handler.OnDispatchAsync(eventName, data, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // One faulty event must not cost the connection, or every other interaction with it.
            LogDispatchFailed(exception, eventName, LastSequence);
        }
    }

    private ConnectionOutcome OnInvalidSession(bool resumable)
    {
        LogInvalidSession(resumable, _sessionId);
        if (resumable && _sessionId is not null)
        {
            return ConnectionOutcome.Resume("Discord invalidated the connection (op 9, resumable)");
        }

        var spread = InvalidSessionDelayMax - InvalidSessionDelayMin;
        var wait = InvalidSessionDelayMin + (spread * Random.Shared.NextDouble());
        return ConnectionOutcome.Reconnect("Discord invalidated the session (op 9); identifying again") with { MinimumDelay = wait };
    }

    private ConnectionOutcome OnServerClose(int? code, string? description)
    {
        switch (GatewayCloseCodes.Classify(code))
        {
            case CloseAction.Fatal:
                return ConnectionOutcome.Fatal(GatewayCloseCodes.FatalDetail(code!.Value), code);
            case CloseAction.NewSession:
                LogClosedByServer(code, description, "identifying a new session");
                return ConnectionOutcome.Reconnect($"Discord closed the gateway with {code}; starting a new session") with { CloseCode = code };
            default:
                LogClosedByServer(code, description, "resuming");
                return ConnectionOutcome.Resume($"Discord closed the gateway with {code?.ToString() ?? "no code"}") with { CloseCode = code };
        }
    }

    private async Task HeartbeatLoopAsync(GatewayConnection connection, TimeSpan interval, CancellationToken cancellationToken)
    {
        var socket = connection.Socket;
        try
        {
            // The first beat is spread over one interval so clients reconnecting together do not beat together.
            await Task.Delay(interval * Random.Shared.NextDouble(), _time, cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!connection.TryBeginHeartbeat())
                {
                    var zombie = ConnectionOutcome.Resume("no heartbeat ACK from Discord; the connection looked dead");
                    if (connection.TryEnd(zombie))
                    {
                        LogZombie(interval, _sessionId);
                        await socket.CloseOutputAsync(GatewayCloseCodes.ClientReconnecting, "no heartbeat ack", CloseTimeout);
                    }

                    // The read loop ends on Discord's close reply, or on this abort if the peer really is gone.
                    socket.AbortAfter(CloseTimeout);
                    return;
                }

                var sequence = LastSequence;
                await connection.SendAsync(GatewayPayloads.Heartbeat(sequence), isHeartbeat: true);
                LogHeartbeatSent(sequence);
                await Task.Delay(interval, _time, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The connection is ending; the read loop reports why.
        }
    }

    private async Task CloseForShutdownAsync(GatewayConnection connection)
    {
        if (!connection.TryEnd(ConnectionOutcome.Stopped))
        {
            return;
        }

        LogClosingForShutdown(_sessionId);
        // 1000 ends the session, so the bot shows offline now rather than after Discord's timeout.
        await connection.Socket.CloseOutputAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down", CloseTimeout);
        connection.Socket.AbortAfter(CloseTimeout);
    }

    private async Task<GatewayBotInfo> GetGatewayInfoAsync(CancellationToken cancellationToken) =>
        _gatewayInfo ?? await RefreshGatewayInfoAsync(cancellationToken);

    private async Task<GatewayBotInfo> RefreshGatewayInfoAsync(CancellationToken cancellationToken)
    {
        var info = await _urlSource.GetGatewayBotAsync(cancellationToken);
        _gatewayInfo = info;
        _gatewayInfoFetchedAt = _time.GetTimestamp();
        _identifiesLeft = info.SessionStartLimit.Remaining;
        LogGatewayInfo(info.Url, info.SessionStartLimit.Remaining, info.SessionStartLimit.Total, info.SessionStartLimit.MaxConcurrency);
        return info;
    }

    /// <summary>
    /// Identifies are scarce (1000 a day; going over resets the token), so wait out an exhausted session
    /// start limit, and keep identifies <c>5 s / max_concurrency</c> apart.
    /// </summary>
    private async Task WaitForIdentifySlotAsync(WebSocketAttempt attempt, CancellationToken cancellationToken)
    {
        var recheck = false;
        while (_identifiesLeft <= 0)
        {
            var limit = _gatewayInfo!.SessionStartLimit;
            var wait = TimeSpan.FromMilliseconds(limit.ResetAfter) - _time.GetElapsedTime(_gatewayInfoFetchedAt);
            if (recheck && wait < IdentifyWindow)
            {
                wait = IdentifyWindow;
            }

            if (wait > TimeSpan.Zero)
            {
                LogSessionStartLimit(limit.Total, wait);
                attempt.Waiting($"waiting {wait:g} for Discord's session start limit ({limit.Total} identifies a day) to reset");
                await Task.Delay(wait, _time, cancellationToken);
            }

            await RefreshGatewayInfoAsync(cancellationToken);
            recheck = true;
        }

        if (_lastIdentifyAt is long last)
        {
            var spacing = IdentifyWindow / Math.Max(1, _gatewayInfo!.SessionStartLimit.MaxConcurrency);
            var wait = spacing - _time.GetElapsedTime(last);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
    }

    private void ForgetSession()
    {
        _sessionId = null;
        _resumeUrl = null;
    }

    private static Uri WithQuery(string url) => new UriBuilder(url) { Query = QueryString }.Uri;

    private static string? StringProperty(JsonElement element, string name) => JsonText.Property(element, name);

    private static JsonDocument? ParseOrNull(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: {GatewayUrl} has {Remaining} of {Total} session starts left, max concurrency {MaxConcurrency}")]
    private partial void LogGatewayInfo(string gatewayUrl, int remaining, int total, int maxConcurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: could not get the gateway URL")]
    private partial void LogGatewayUrlFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: connecting to {GatewayUrl} (resume: {Resuming})")]
    private partial void LogConnecting(string gatewayUrl, bool resuming);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: could not connect to {GatewayUrl}")]
    private partial void LogConnectFailed(Exception exception, string gatewayUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: identifying (shard {ShardId} of {ShardCount}); {IdentifiesLeft} session starts left")]
    private partial void LogIdentifying(int? shardId, int? shardCount, int identifiesLeft);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: resuming session {SessionId} after sequence {Sequence}")]
    private partial void LogResuming(string sessionId, long? sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: ready as {UserName}, session {SessionId}, shard {ShardId}")]
    private partial void LogReady(string? sessionId, string? userName, int? shardId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: resumed session {SessionId}; {Replayed} missed events replayed, now at sequence {Sequence}")]
    private partial void LogResumed(string? sessionId, int replayed, long? sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: session start limit used up ({Total} a day); waiting {Wait} before identifying")]
    private partial void LogSessionStartLimit(int total, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: Discord asked for a reconnect (op 7); session {SessionId}")]
    private partial void LogReconnectRequested(string? sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: invalid session (op 9, resumable: {Resumable}); session {SessionId}")]
    private partial void LogInvalidSession(bool resumable, string? sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: closed by Discord with {CloseCode} ({CloseReason}); {Action}")]
    private partial void LogClosedByServer(int? closeCode, string? closeReason, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: {Detail}")]
    private partial void LogDropped(Exception exception, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: no heartbeat ACK within {HeartbeatInterval}; closing the zombie connection of session {SessionId} to resume")]
    private partial void LogZombie(TimeSpan heartbeatInterval, string? sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: {Detail}; reconnecting in {Delay} (resume: {Resuming}, failed attempts: {Failures})")]
    private partial void LogReconnecting(string detail, bool resuming, TimeSpan delay, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord gateway stopped for good (close {CloseCode}): {Detail}")]
    private partial void LogFatal(int? closeCode, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: a payload of {Length} bytes is not a gateway event; reconnecting")]
    private partial void LogUndecodable(int length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord gateway: heartbeat sent with sequence {Sequence}")]
    private partial void LogHeartbeatSent(long? sequence);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord gateway: ignoring opcode {Opcode}")]
    private partial void LogUnhandledOpcode(int opcode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway: skipped event {Sequence}, already handled (last {LastSequence})")]
    private partial void LogDuplicateSkipped(long sequence, long lastSequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord gateway: the handler failed on {EventName} (sequence {Sequence})")]
    private partial void LogDispatchFailed(Exception exception, string eventName, long? sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: closing session {SessionId} with 1000 for shutdown")]
    private partial void LogClosingForShutdown(string? sessionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord gateway: unexpected failure; reconnecting")]
    private partial void LogUnexpected(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway: stopped")]
    private partial void LogStopped();
}
