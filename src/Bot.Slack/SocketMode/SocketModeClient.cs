using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Bot.Adapters;
using Bot.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Keeps a Socket Mode connection to Slack and hands every envelope to <see cref="ISocketModeHandler"/> once, acking it
/// within Slack's 3 seconds with the handler's answer. Handlers run off the read loop, so a slow one delays nothing else.
/// When Slack recycles a connection (<c>refresh_requested</c>, <c>warning</c>) a new one is opened before the old one
/// closes, so nothing is dropped; lost connections are reopened with backoff; a redelivered envelope id is acked again
/// without reaching the handler twice. Socket Mode turned off or a rejected app token stop it for good
/// (<see cref="SlackState.Failed"/>). Stopping closes every connection with 1000.
/// </summary>
public sealed partial class SocketModeClient : BackgroundService
{
    internal const string LinkDisabledDetail =
        "Socket Mode is turned off for this app: enable it under Settings → Socket Mode, "
        + "or remove Slack__AppToken and use Slack__SigningSecret with a public URL";

    private const string LinkDisabled = "link_disabled";
    private const string TooManyWebsockets = "too_many_websockets";

    private readonly ISocketModeUrlSource _urlSource;
    private readonly ISocketModeHandler _handler;
    private readonly SlackStatus _status;
    private readonly TimeProvider _time;
    private readonly ILogger<SocketModeClient> _logger;
    private readonly Channel<ConnectionSignal> _signals = Channel.CreateUnbounded<ConnectionSignal>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly List<SocketModeConnection> _connections = [];
    private RecentEnvelopes? _recent;
    private volatile SocketModeConnection? _live;
    private int _connectionCount;
    private readonly BotMetrics? _metrics;

    public SocketModeClient(
        ISocketModeUrlSource urlSource,
        ISocketModeHandler handler,
        SlackStatus status,
        TimeProvider time,
        ILogger<SocketModeClient> logger,
        BotMetrics? metrics = null)
    {
        _metrics = metrics;
        _urlSource = urlSource;
        _handler = handler;
        _status = status;
        _time = time;
        _logger = logger;
    }

    /// <summary>First delay after a failed attempt; it doubles per failure up to <see cref="BackoffMax"/>.</summary>
    internal TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    internal TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    internal TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Slack wants the ack within 3 s; a handler still running after this is acked without a payload, leaving room
    /// for the send itself. The handler's own budget (<c>Slack:AnswerWithin</c>) is validated to end by then.
    /// </summary>
    internal TimeSpan AckDeadline { get; set; } = AnswerDeadline.Latest;

    /// <summary>How long a close handshake may take before the socket is simply dropped.</summary>
    internal TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>WebSocket pings go out this often; together with <see cref="KeepAliveTimeout"/> a dead link is noticed in ~30 s.</summary>
    internal TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    internal TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many recent envelope ids are remembered to recognise redeliveries.</summary>
    internal int RecentEnvelopeCapacity { get; set; } = 4096;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _recent = new RecentEnvelopes(RecentEnvelopeCapacity);
        _status.Starting("connecting to Slack Socket Mode");
        var failures = 0;
        var detail = "";
        try
        {
            while (true)
            {
                if (failures > 0)
                {
                    var delay = Backoff(failures);
                    _status.Reconnecting(detail);
                    _metrics?.Reconnected(Platform.Slack);
                    LogReconnecting(detail, delay, failures);
                    await Task.Delay(delay, _time, stoppingToken);
                }

                SocketModeConnection connection;
                try
                {
                    connection = await OpenAsync(stoppingToken);
                }
                catch (SocketModeFatalException exception)
                {
                    Fail(exception.Message);
                    return;
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    detail = $"could not open a Socket Mode connection: {exception.Message}";
                    LogOpenFailed(exception);
                    continue;
                }

                failures = 0;
                _live = connection;
                _status.Ready("connected to Slack Socket Mode");

                var outcome = await ServeAsync(stoppingToken);
                if (outcome.Fatal)
                {
                    Fail(outcome.Detail);
                    return;
                }

                failures = 1;
                detail = outcome.Detail;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await CloseAllAsync(stoppingToken.IsCancellationRequested ? "shutting down" : "stopped");
        }

        LogStopped();
    }

    /// <summary>Exponential backoff with jitter: half the capped delay fixed, half random, so restarted bots spread out.</summary>
    internal TimeSpan Backoff(int failures)
    {
        var doublings = Math.Min(failures - 1, 30);
        var cap = TimeSpan.FromTicks((long)Math.Min(BackoffMax.Ticks, BackoffBase.Ticks * Math.Pow(2, doublings)));
        return (cap / 2) + (cap / 2 * Random.Shared.NextDouble());
    }

    /// <summary>Serves the live connection until it is lost without a replacement, or Socket Mode must stop.</summary>
    private async Task<Outcome> ServeAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            var signal = await _signals.Reader.ReadAsync(stoppingToken);
            var connection = signal.Connection;
            if (signal.DisconnectReason == LinkDisabled)
            {
                return new Outcome(LinkDisabledDetail, Fatal: true);
            }

            if (connection != _live)
            {
                // A connection already replaced or failed before hello: it only needs to go away.
                Retire(connection, "replaced");
                continue;
            }

            if (signal.DisconnectReason is null)
            {
                _live = null;
                LogDropped(connection.Number, signal.Detail);
                Retire(connection, "lost");
                return new Outcome(signal.Detail);
            }

            if (signal.DisconnectReason == TooManyWebsockets)
            {
                _live = null;
                LogTooManyWebsockets(connection.Number);
                Retire(connection, "too many websockets");
                return new Outcome("Slack refused the connection: too many Socket Mode connections for this app");
            }

            LogDisconnectRequested(connection.Number, signal.DisconnectReason);
            SocketModeConnection replacement;
            try
            {
                replacement = await OpenAsync(stoppingToken);
            }
            catch (SocketModeFatalException exception)
            {
                return new Outcome(exception.Message, Fatal: true);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _live = null;
                LogOpenFailed(exception);
                Retire(connection, "refresh failed");
                return new Outcome($"could not open a replacement Socket Mode connection: {exception.Message}");
            }

            // Acks of envelopes still arriving on the old connection go out on the new one once the old is closing.
            _live = replacement;
            LogReplaced(connection.Number, replacement.Number);
            Retire(connection, "refreshed");
        }
    }

    /// <summary>Asks for a fresh URL, connects, and waits for <c>hello</c>; throws if any step fails.</summary>
    private async Task<SocketModeConnection> OpenAsync(CancellationToken stoppingToken)
    {
        var url = await _urlSource.OpenConnectionAsync(stoppingToken);
        var connection = new SocketModeConnection(
            Interlocked.Increment(ref _connectionCount), _time, KeepAliveInterval, KeepAliveTimeout);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        try
        {
            LogConnecting(connection.Number);
            await connection.ConnectAsync(url, ConnectTimeout, stoppingToken);
            connection.ReadLoop = ReadLoopAsync(connection, stoppingToken);
            try
            {
                await connection.Hello.WaitAsync(HelloTimeout, _time, stoppingToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Slack sent no hello within {HelloTimeout.TotalSeconds:0.#} s");
            }

            return connection;
        }
        catch
        {
            connection.Retired = true;
            await DisposeConnectionAsync(connection);
            if (connection.DisconnectReason == LinkDisabled)
            {
                throw new SocketModeFatalException(LinkDisabledDetail, LinkDisabled);
            }

            throw;
        }
    }

    private async Task ReadLoopAsync(SocketModeConnection connection, CancellationToken stoppingToken)
    {
        string detail;
        try
        {
            while (true)
            {
                var frame = await connection.ReceiveAsync();
                if (frame.IsClose)
                {
                    detail = $"Slack closed the connection ({frame.CloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"})";
                    break;
                }

                OnMessage(connection, frame.Payload, stoppingToken);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            detail = "the connection dropped without a close frame";
        }
        catch (Exception exception)
        {
            // A bug here must not leave the connection silently unread; drop it and let the supervisor reconnect.
            LogUnexpected(exception, connection.Number);
            detail = $"unexpected error: {exception.Message}";
        }

        connection.HelloFailed(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, detail));
        _signals.Writer.TryWrite(new ConnectionSignal(connection, null, detail));
    }

    private void OnMessage(SocketModeConnection connection, ReadOnlyMemory<byte> message, CancellationToken stoppingToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            LogUndecodable(connection.Number, message.Length);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                LogUndecodable(connection.Number, message.Length);
                return;
            }

            var type = StringProperty(root, "type");
            if (StringProperty(root, "envelope_id") is { } envelopeId)
            {
                OnEnvelope(connection, ParseEnvelope(root, envelopeId, type ?? ""), stoppingToken);
                return;
            }

            switch (type)
            {
                case "hello":
                    var count = root.TryGetProperty("num_connections", out var number) && number.ValueKind == JsonValueKind.Number
                        && number.TryGetInt32(out var value) ? value : (int?)null;
                    LogHello(connection.Number, count);
                    connection.HelloReceived();
                    break;
                case "disconnect":
                    var reason = StringProperty(root, "reason") ?? "unknown";
                    connection.DisconnectReason = reason;
                    connection.HelloFailed(new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"Slack sent disconnect ({reason}) before hello"));
                    _signals.Writer.TryWrite(new ConnectionSignal(connection, reason, $"Slack sent disconnect ({reason})"));
                    break;
                default:
                    LogIgnored(connection.Number, type);
                    break;
            }
        }
    }

    private static SocketModeEnvelope ParseEnvelope(JsonElement root, string envelopeId, string type)
    {
        var payload = root.TryGetProperty("payload", out var element) ? element.Clone() : default;
        var accepts = root.TryGetProperty("accepts_response_payload", out var flag) && flag.ValueKind == JsonValueKind.True;
        int? retryAttempt = root.TryGetProperty("retry_attempt", out var attempt) && attempt.ValueKind == JsonValueKind.Number
            && attempt.TryGetInt32(out var attemptValue) ? attemptValue : null;
        return new SocketModeEnvelope(envelopeId, type, payload, accepts, retryAttempt, StringProperty(root, "retry_reason"));
    }

    private void OnEnvelope(SocketModeConnection connection, SocketModeEnvelope envelope, CancellationToken stoppingToken)
    {
        var ack = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_recent!.TryClaim(envelope.EnvelopeId, ack.Task, out var earlier))
        {
            LogDuplicate(connection.Number, envelope.EnvelopeId, envelope.Type, envelope.RetryAttempt, envelope.RetryReason);
            connection.TrackAck(AckAgainAsync(connection, envelope.EnvelopeId, earlier));
            return;
        }

        LogEnvelope(connection.Number, envelope.EnvelopeId, envelope.Type, envelope.RetryAttempt);
        connection.TrackAck(HandleAndAckAsync(connection, envelope, ack, stoppingToken));
    }

    private async Task HandleAndAckAsync(
        SocketModeConnection connection, SocketModeEnvelope envelope, TaskCompletionSource<byte[]> ack, CancellationToken stoppingToken)
    {
        byte[]? message = null;
        try
        {
            var (handling, inTime) = await AnswerDeadline.StartAsync(() => _handler.HandleAsync(envelope, stoppingToken), AckDeadline, _time, CancellationToken.None);
            object? payload = null;
            if (inTime)
            {
                payload = await ResultOrNullAsync(handling, envelope);
            }
            else
            {
                LogAckDeadline(envelope.EnvelopeId, envelope.Type, AckDeadline);
                _ = ResultOrNullAsync(handling, envelope);
            }

            if (payload is not null && !envelope.AcceptsResponsePayload)
            {
                LogPayloadNotAccepted(envelope.EnvelopeId, envelope.Type);
                payload = null;
            }

            message = SerializeAck(envelope.EnvelopeId, payload);
        }
        catch (Exception exception) when (exception is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            LogPayloadUnserializable(exception, envelope.EnvelopeId, envelope.Type);
        }
        finally
        {
            message ??= SerializeAck(envelope.EnvelopeId, null);
            ack.TrySetResult(message);
        }

        await SendAckAsync(connection, envelope.EnvelopeId, message);
    }

    private async Task<object?> ResultOrNullAsync(Task<object?> handling, SocketModeEnvelope envelope)
    {
        try
        {
            return await handling;
        }
        catch (OperationCanceledException) when (handling.IsCanceled)
        {
            return null;
        }
        catch (Interactions.SlackPayloadException exception)
        {
            LogMalformedPayload(envelope.EnvelopeId, envelope.Type, exception.Message);
            return null;
        }
        catch (Exception exception)
        {
            // Acked anyway: Slack would only redeliver the envelope to the same failing handler.
            LogHandlerFailed(exception, envelope.EnvelopeId, envelope.Type);
            return null;
        }
    }

    private async Task AckAgainAsync(SocketModeConnection connection, string envelopeId, Task<byte[]> earlier)
    {
        var message = await earlier;
        await SendAckAsync(connection, envelopeId, message);
    }

    /// <summary>Acks on the connection the envelope came on, or on the live one if that is closing (as the SDKs do).</summary>
    private async Task SendAckAsync(SocketModeConnection origin, string envelopeId, byte[] message)
    {
        if (await origin.TrySendAsync(message))
        {
            return;
        }

        var live = _live;
        if (live is not null && live != origin && await live.TrySendAsync(message))
        {
            LogAckRerouted(envelopeId, origin.Number, live.Number);
            return;
        }

        LogAckLost(envelopeId, origin.Number);
    }

    internal static byte[] SerializeAck(string envelopeId, object? payload)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_id", envelopeId);
            if (payload is not null)
            {
                writer.WritePropertyName("payload");
                JsonSerializer.Serialize(writer, payload, payload.GetType(), SlackJson.Options);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Closes a connection the supervisor is done with, once the acks of what arrived on it have left.</summary>
    private void Retire(SocketModeConnection connection, string description)
    {
        if (connection.Retired)
        {
            return;
        }

        connection.Retired = true;
        connection.Closing = RetireAsync(connection, description);
    }

    private async Task RetireAsync(SocketModeConnection connection, string description)
    {
        await WaitForAcksAsync(connection, AckDeadline + CloseTimeout);
        await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, description, CloseTimeout);
        await connection.ReadLoop;
        // Envelopes that came in while closing are acked on the live connection; let those acks leave too.
        await WaitForAcksAsync(connection, AckDeadline + CloseTimeout);
        await DisposeConnectionAsync(connection);
    }

    private async Task WaitForAcksAsync(SocketModeConnection connection, TimeSpan limit)
    {
        try
        {
            await connection.WhenAcksSentAsync().WaitAsync(limit, _time);
        }
        catch (TimeoutException)
        {
            // Slack redelivers what was not acked.
        }
    }

    private async Task DisposeConnectionAsync(SocketModeConnection connection)
    {
        lock (_connections)
        {
            _connections.Remove(connection);
        }

        await connection.DisposeAsync();
    }

    private async Task CloseAllAsync(string description)
    {
        _live = null;
        SocketModeConnection[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        foreach (var connection in open)
        {
            connection.Retired = true;
        }

        // Handlers see the stopping token, so their acks are quick; let them leave before the sockets close.
        await Task.WhenAll(open.Select(connection => WaitForAcksAsync(connection, CloseTimeout)));
        await Task.WhenAll(open.Select(connection => connection.CloseAsync(WebSocketCloseStatus.NormalClosure, description, CloseTimeout)));
        await Task.WhenAll(open.Select(async connection =>
        {
            await connection.ReadLoop;
            await connection.Closing;
            await DisposeConnectionAsync(connection);
        }));
    }

    private void Fail(string detail)
    {
        LogFatal(detail);
        _status.Failed(detail);
    }

    private static string? StringProperty(JsonElement element, string name) => JsonText.Property(element, name);

    /// <summary>What a connection's read loop reported: a <c>disconnect</c> message, or (reason null) its end.</summary>
    private sealed record ConnectionSignal(SocketModeConnection Connection, string? DisconnectReason, string Detail);

    private sealed record Outcome(string Detail, bool Fatal = false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Socket Mode envelope {EnvelopeId} ({EnvelopeType}) has a payload that is not what Slack sends ({Problem}); acked without an answer")]
    private partial void LogMalformedPayload(string envelopeId, string envelopeType, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: connecting (connection {Connection})")]
    private partial void LogConnecting(int connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: hello on connection {Connection}; Slack counts {NumConnections} connections")]
    private partial void LogHello(int connection, int? numConnections);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: could not open a connection")]
    private partial void LogOpenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: Slack asked connection {Connection} to go ({Reason}); opening a new one first")]
    private partial void LogDisconnectRequested(int connection, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: connection {NewConnection} replaced connection {OldConnection}")]
    private partial void LogReplaced(int oldConnection, int newConnection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: connection {Connection} lost: {Detail}")]
    private partial void LogDropped(int connection, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: Slack reports too many connections (too_many_websockets); closing connection {Connection}")]
    private partial void LogTooManyWebsockets(int connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: {Detail}; reconnecting in {Delay} (failed attempts: {Failures})")]
    private partial void LogReconnecting(string detail, TimeSpan delay, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode stopped for good: {Detail}")]
    private partial void LogFatal(string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack Socket Mode: envelope {EnvelopeId} ({EnvelopeType}, retry {RetryAttempt}) on connection {Connection}")]
    private partial void LogEnvelope(int connection, string envelopeId, string envelopeType, int? retryAttempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: envelope {EnvelopeId} ({EnvelopeType}, retry {RetryAttempt}, {RetryReason}) was already handled; acking it again on connection {Connection}")]
    private partial void LogDuplicate(int connection, string envelopeId, string envelopeType, int? retryAttempt, string? retryReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: the handler took longer than {AckDeadline} on envelope {EnvelopeId} ({EnvelopeType}); acked without a payload, the reply must go through response_url")]
    private partial void LogAckDeadline(string envelopeId, string envelopeType, TimeSpan ackDeadline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: the handler returned a payload for envelope {EnvelopeId} ({EnvelopeType}), which does not accept one; acked without it")]
    private partial void LogPayloadNotAccepted(string envelopeId, string envelopeType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: the handler's payload for envelope {EnvelopeId} ({EnvelopeType}) cannot be serialized; acked without it")]
    private partial void LogPayloadUnserializable(Exception exception, string envelopeId, string envelopeType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: the handler failed on envelope {EnvelopeId} ({EnvelopeType})")]
    private partial void LogHandlerFailed(Exception exception, string envelopeId, string envelopeType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack Socket Mode: acked envelope {EnvelopeId} on connection {LiveConnection} because connection {Connection} is closing")]
    private partial void LogAckRerouted(string envelopeId, int connection, int liveConnection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: could not ack envelope {EnvelopeId} from connection {Connection} (no open connection); Slack will redeliver it")]
    private partial void LogAckLost(string envelopeId, int connection);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: a message of {Length} bytes on connection {Connection} is not a JSON object; ignored")]
    private partial void LogUndecodable(int connection, int length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack Socket Mode: ignoring a message of type {MessageType} on connection {Connection}")]
    private partial void LogIgnored(int connection, string? messageType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: unexpected failure reading connection {Connection}; reconnecting")]
    private partial void LogUnexpected(Exception exception, int connection);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: stopped")]
    private partial void LogStopped();
}
