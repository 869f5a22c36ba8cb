using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Bot.Adapters;
using Bot.Adapters.Connections;
using Bot.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.SocketMode;

/// <summary>
/// The Socket Mode protocol over a <see cref="ReconnectingWebSocket"/>: it hands every envelope to
/// <see cref="ISocketModeHandler"/> once, acking it within Slack's 3 seconds with the handler's answer. Handlers run off
/// the read loop, so a slow one delays nothing else. When Slack recycles a connection (<c>refresh_requested</c>,
/// <c>warning</c>) a new one is opened before the old one closes, so nothing is dropped; a redelivered envelope id is
/// acked again without reaching the handler twice. Socket Mode turned off or a rejected app token stop it for good
/// (<see cref="ConnectionState.Failed"/>). Stopping closes every connection with 1000.
/// </summary>
public sealed partial class SocketModeClient : BackgroundService, IWebSocketProtocol
{
    internal const string LinkDisabledDetail =
        "Socket Mode is turned off for this app: enable it under Settings → Socket Mode, "
        + "or remove Slack__AppToken and use Slack__SigningSecret with a public URL";

    private const string LinkDisabled = "link_disabled";
    private const string TooManyWebsockets = "too_many_websockets";

    private readonly ISocketModeUrlSource _urlSource;
    private readonly ISocketModeHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger<SocketModeClient> _logger;
    private readonly ReconnectingWebSocket _socket;
    private RecentEnvelopes? _recent;

    public SocketModeClient(
        ISocketModeUrlSource urlSource,
        ISocketModeHandler handler,
        [FromKeyedServices(Platform.Slack)] ConnectionStatus status,
        TimeProvider time,
        ILogger<SocketModeClient> logger,
        BotMetrics? metrics = null,
        IHostApplicationLifetime? lifetime = null)
    {
        _urlSource = urlSource;
        _handler = handler;
        _time = time;
        _logger = logger;
        _socket = new ReconnectingWebSocket(this, Platform.Slack, status, Reconnect, time, metrics, lifetime);
    }

    /// <summary>
    /// Backoff from 1 s to 60 s, also after losing a connection that was ready: every attempt calls
    /// <c>apps.connections.open</c>, a Tier 1 method. WebSocket pings every 20 s, unanswered after 10 s, notice a dead
    /// link in about 30 s.
    /// </summary>
    internal ReconnectOptions Reconnect { get; } = new()
    {
        BackOffAfterReady = true,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        KeepAliveInterval = TimeSpan.FromSeconds(20),
        KeepAliveTimeout = TimeSpan.FromSeconds(10),
    };

    internal TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Slack wants the ack within 3 s; a handler still running after this is acked without a payload, leaving room
    /// for the send itself. The handler's own budget (<c>Slack:AnswerWithin</c>) is validated to end by then.
    /// </summary>
    internal TimeSpan AckDeadline { get; set; } = AnswerDeadline.Latest;

    /// <summary>How many recent envelope ids are remembered to recognise redeliveries.</summary>
    internal int RecentEnvelopeCapacity { get; set; } = 4096;

    string IWebSocketProtocol.Name => "Slack Socket Mode";

    private TimeSpan CloseTimeout => Reconnect.CloseTimeout;

    /// <summary>How long a connection being closed waits for the acks of what arrived on it.</summary>
    private TimeSpan AcksWithin => AckDeadline + CloseTimeout;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _recent = new RecentEnvelopes(RecentEnvelopeCapacity);
        return _socket.RunAsync(stoppingToken);
    }

    /// <summary>Asks for a fresh URL, connects, and serves the connection until it is gone.</summary>
    async Task<ConnectionOutcome> IWebSocketProtocol.RunAsync(WebSocketAttempt attempt, CancellationToken stoppingToken)
    {
        Uri url;
        try
        {
            url = await _urlSource.OpenConnectionAsync(stoppingToken);
        }
        catch (SocketModeFatalException exception)
        {
            return ConnectionOutcome.Fatal(exception.Message);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            return OpenFailed(attempt, exception);
        }

        var connection = new SocketModeConnection(attempt.CreateConnection(), _time);
        LogConnecting(connection.Number);
        try
        {
            await connection.Socket.ConnectAsync(url, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            return OpenFailed(attempt, exception);
        }

        return await ServeAsync(attempt, connection, stoppingToken);
    }

    void IWebSocketProtocol.OnReconnecting(ConnectionOutcome outcome, int failures, TimeSpan delay) =>
        LogReconnecting(outcome.Detail, delay, failures);

    void IWebSocketProtocol.OnFailed(ConnectionOutcome outcome) => LogFatal(outcome.Detail);

    void IWebSocketProtocol.OnStopped() => LogStopped();

    void IWebSocketProtocol.OnUnexpected(Exception exception) => LogRunFailed(exception);

    /// <summary>
    /// Reads the connection until it is gone: waits for <c>hello</c>, hands envelopes on, acts on <c>disconnect</c>, and
    /// closes it when the loop retires it, the host stops or Slack refuses it, once the acks of what arrived have left.
    /// Says how it ended as soon as that is known, so the loop can reconnect while this one finishes closing.
    /// </summary>
    private async Task<ConnectionOutcome> ServeAsync(WebSocketAttempt attempt, SocketModeConnection connection, CancellationToken stoppingToken)
    {
        using var helloDeadline = _time.CreateTimer(
            static state => ((SocketModeConnection)state!).AbortUnlessGreeted(), connection, HelloTimeout, Timeout.InfiniteTimeSpan);
        using var stopping = stoppingToken.Register(() => connection.BeginClose("shutting down", CloseTimeout, CloseTimeout));
        using var retired = attempt.Retired.Register(() => connection.BeginClose("replaced", AcksWithin, CloseTimeout));
        ConnectionOutcome? decided = null;
        string detail;
        try
        {
            while (true)
            {
                var message = await connection.Socket.ReceiveAsync();
                if (message.IsClose)
                {
                    detail = $"Slack closed the connection ({message.CloseCode?.ToString(CultureInfo.InvariantCulture) ?? "no code"})";
                    break;
                }

                if (OnMessage(attempt, connection, message.Payload, stoppingToken) is { } outcome)
                {
                    decided ??= outcome;
                    attempt.End(outcome);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            detail = "the connection dropped without a close frame";
        }
        catch (Exception exception)
        {
            // A bug here must not leave the connection silently unread; drop it and let the loop reconnect.
            LogUnexpected(exception, connection.Number);
            detail = $"unexpected error: {exception.Message}";
        }

        var ended = decided ?? Ended(attempt, connection, detail, stoppingToken);
        attempt.End(ended);
        await connection.BeginClose("lost", AcksWithin, CloseTimeout);
        if (!stoppingToken.IsCancellationRequested)
        {
            // Envelopes that came in while closing are acked on the live connection; let those acks leave too.
            await connection.WaitForAcksAsync(AcksWithin);
        }

        return ended;
    }

    /// <summary>How a connection ended that no message ended (see <see cref="OnDisconnect"/>) once its read is over.</summary>
    private ConnectionOutcome Ended(WebSocketAttempt attempt, SocketModeConnection connection, string detail, CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
        {
            return ConnectionOutcome.Stopped;
        }

        if (!connection.HelloReceived)
        {
            return OpenFailed(attempt, connection.HelloTimedOut
                ? new TimeoutException($"Slack sent no hello within {HelloTimeout.TotalSeconds:0.#} s")
                : new WebSocketException(WebSocketError.ConnectionClosedPrematurely, detail));
        }

        // A connection being replaced or closed on purpose ends quietly; the loop has moved on from it.
        if (!attempt.Retired.IsCancellationRequested && !connection.ReplacementRequested && !connection.IsClosing)
        {
            LogDropped(connection.Number, detail);
        }

        return ConnectionOutcome.Reconnect(detail);
    }

    private ConnectionOutcome OpenFailed(WebSocketAttempt attempt, Exception exception)
    {
        LogOpenFailed(exception);
        return ConnectionOutcome.Reconnect(attempt.Replaces is null
            ? $"could not open a Socket Mode connection: {exception.Message}"
            : $"could not open a replacement Socket Mode connection: {exception.Message}");
    }

    /// <summary>Acts on one message; returns how the connection ends when the message decides that.</summary>
    private ConnectionOutcome? OnMessage(WebSocketAttempt attempt, SocketModeConnection connection, ReadOnlyMemory<byte> message, CancellationToken stoppingToken)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message);
        }
        catch (JsonException)
        {
            LogUndecodable(connection.Number, message.Length);
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                LogUndecodable(connection.Number, message.Length);
                return null;
            }

            var type = StringProperty(root, "type");
            if (StringProperty(root, "envelope_id") is { } envelopeId)
            {
                OnEnvelope(connection, ParseEnvelope(root, envelopeId, type ?? ""), stoppingToken);
                return null;
            }

            switch (type)
            {
                case "hello":
                    var count = root.TryGetProperty("num_connections", out var number) && number.ValueKind == JsonValueKind.Number
                        && number.TryGetInt32(out var value) ? value : (int?)null;
                    LogHello(connection.Number, count);
                    connection.OnHello();
                    attempt.Ready("connected to Slack Socket Mode");
                    if (attempt.Replaces?.Connection is { } replaced)
                    {
                        LogReplaced(replaced.Number, connection.Number);
                    }

                    return null;
                case "disconnect":
                    return OnDisconnect(attempt, connection, StringProperty(root, "reason") ?? "unknown");
                default:
                    LogIgnored(connection.Number, type);
                    return null;
            }
        }
    }

    /// <summary>
    /// Socket Mode turned off stops everything; before <c>hello</c> any reason fails the open; <c>too_many_websockets</c>
    /// closes this connection and reconnects after backoff; any other reason (a routine refresh) opens a replacement
    /// first, and this connection serves on until that one is ready.
    /// </summary>
    private ConnectionOutcome? OnDisconnect(WebSocketAttempt attempt, SocketModeConnection connection, string reason)
    {
        if (reason == LinkDisabled)
        {
            if (connection.HelloReceived)
            {
                connection.BeginClose("stopped", CloseTimeout, CloseTimeout);
            }
            else
            {
                connection.Socket.Abort();
            }

            return ConnectionOutcome.Fatal(LinkDisabledDetail);
        }

        if (!connection.HelloReceived)
        {
            connection.Socket.Abort();
            return OpenFailed(attempt, new WebSocketException(
                WebSocketError.ConnectionClosedPrematurely, $"Slack sent disconnect ({reason}) before hello"));
        }

        if (attempt.Retired.IsCancellationRequested || connection.ReplacementRequested || connection.IsClosing)
        {
            // Already on its way out.
            return null;
        }

        if (reason == TooManyWebsockets)
        {
            LogTooManyWebsockets(connection.Number);
            connection.BeginClose("too many websockets", AcksWithin, CloseTimeout);
            return ConnectionOutcome.Reconnect("Slack refused the connection: too many Socket Mode connections for this app");
        }

        LogDisconnectRequested(connection.Number, reason);
        connection.ReplacementRequested = true;
        attempt.RequestReplacement();
        return null;
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
        if (await origin.Socket.TrySendAsync(message))
        {
            return;
        }

        var live = _socket.Current;
        if (live is not null && live != origin.Socket && await live.TrySendAsync(message))
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

    private static string? StringProperty(JsonElement element, string name) => JsonText.Property(element, name);

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: unexpected failure; reconnecting")]
    private partial void LogRunFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: stopped")]
    private partial void LogStopped();
}
