using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Discord.Tests.Fakes;

public sealed partial class FakeGateway
{
    // Discord: "Must not exceed 4096 bytes" for payloads an app sends.
    private const int MaxClientPayloadBytes = 4096;

    private static readonly TimeSpan PayloadRateWindow = TimeSpan.FromSeconds(60);

    private async Task HandleRequestAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        bool viaResumeUrl;
        if (path is "" or "/")
        {
            viaResumeUrl = false;
        }
        else if (path is ResumePath or "/resume")
        {
            viaResumeUrl = true;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var query = context.Request.QueryString.Value ?? string.Empty;
        GatewayConnection connection;
        lock (_lock)
        {
            if (_disposed)
            {
                context.Abort();
                return;
            }

            connection = new GatewayConnection(++_connections, socket, context, viaResumeUrl);
            _connectQueries.Add(query);
            _open.Add(connection);
            _current = connection;
        }

        try
        {
            var greeted = await GreetAsync(connection, context.Request.Query).ConfigureAwait(false);
            var watchdog = greeted ? WatchHeartbeatsAsync(connection) : Task.CompletedTask;
            var clientCloseCode = await ReceiveLoopAsync(connection).ConfigureAwait(false);
            connection.MarkEnded();
            await watchdog.ConfigureAwait(false);
            RecordEnd(connection, clientCloseCode);
        }
        finally
        {
            connection.MarkEnded();
            lock (_lock)
            {
                _open.Remove(connection);
                if (_current == connection)
                {
                    _current = _open.Count > 0 ? _open[^1] : null;
                }
            }

            connection.Dispose();
        }
    }

    // Checks the connect query the way Discord does, then sends Hello. Returns false when the connection was refused.
    private async Task<bool> GreetAsync(GatewayConnection connection, IQueryCollection query)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            string? version = query["v"];
            string? encoding = query["encoding"];
            string? compress = query["compress"];
            if (version != "10")
            {
                AddProblem(connection, $"connected with v={version ?? "(missing)"}; the client must ask for v=10");
                // Discord serves v9 and v10; anything else it refuses with 4012.
                if (version is not null and not "9")
                {
                    await CloseLockedAsync(connection, 4012, "Invalid API version").ConfigureAwait(false);
                    return false;
                }
            }

            if (encoding != "json")
            {
                AddProblem(connection, $"connected with encoding={encoding ?? "(missing)"}; this fake speaks encoding=json");
            }

            if (compress is not null)
            {
                AddProblem(connection, $"connected with compress={compress}; this fake sends uncompressed JSON only");
            }

            lock (_lock)
            {
                connection.HelloAt = _time.GetTimestamp();
            }

            await SendLockedAsync(connection, Envelope(10, new JsonObject { ["heartbeat_interval"] = _options.HeartbeatIntervalMs })).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Returns the client's close code, or null when the connection ended without the client sending a close frame.
    private async Task<int?> ReceiveLoopAsync(GatewayConnection connection)
    {
        var socket = connection.Socket;
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        var discardingOversized = false;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                var code = (int?)socket.CloseStatus;
                if (!connection.ServerClosing)
                {
                    await ReplyToCloseAsync(connection).ConfigureAwait(false);
                }

                return code;
            }

            if (connection.ServerClosing)
            {
                continue; // Discord has hung up; whatever still arrives is not read.
            }

            if (discardingOversized)
            {
                discardingOversized = !result.EndOfMessage;
                continue;
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > MaxClientPayloadBytes)
            {
                var size = message.Length;
                message.SetLength(0);
                discardingOversized = !result.EndOfMessage;
                AddProblem(connection, $"sent a payload of {(result.EndOfMessage ? "" : "at least ")}{size} bytes; the limit is {MaxClientPayloadBytes} (closed 4002)");
                await WithGateAsync(() => CloseLockedAsync(connection, 4002, "Decode error")).ConfigureAwait(false);
                continue;
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            var bytes = message.ToArray();
            message.SetLength(0);
            await WithGateAsync(() => ProcessLockedAsync(connection, result.MessageType, bytes)).ConfigureAwait(false);
        }
    }

    private async Task ReplyToCloseAsync(GatewayConnection connection)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var socket = connection.Socket;
            await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client did not wait for the echo; the connection is over either way.
        }
        finally
        {
            _gate.Release();
        }
    }

    private void RecordEnd(GatewayConnection connection, int? clientCloseCode)
    {
        lock (_lock)
        {
            var endedByClient = !connection.ServerClosing && !connection.AbortedByServer;
            if (endedByClient)
            {
                _clientCloseCodes.Add(clientCloseCode);
            }

            var session = _session;
            if (session?.Connection != connection)
            {
                return;
            }

            session.Connection = null;
            // Discord: closing with 1000 or 1001 invalidates the session; any other code, or none, keeps it resumable.
            if (endedByClient && clientCloseCode is 1000 or 1001)
            {
                if (session.Valid && connection.ReconnectRequested)
                {
                    _problems.Add($"connection {connection.Number}: closed with {clientCloseCode} after op 7 Reconnect, which discards the session it was asked to resume");
                }

                session.Valid = false;
            }
        }
    }

    private async Task WithGateAsync(Func<Task> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    // Caller holds _gate.
    private async Task ProcessLockedAsync(GatewayConnection connection, WebSocketMessageType messageType, byte[] bytes)
    {
        if (connection.ServerClosing || connection.Ended)
        {
            return;
        }

        if (IsOverPayloadRate(connection))
        {
            AddProblem(connection, $"sent more than {_options.PayloadsPerMinute} payloads within 60 s (closed 4008)");
            await CloseLockedAsync(connection, 4008, "Rate limited").ConfigureAwait(false);
            return;
        }

        if (messageType != WebSocketMessageType.Text)
        {
            AddProblem(connection, "sent a binary frame; with encoding=json payloads are text frames (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            AddProblem(connection, "sent a payload that is not valid JSON (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        if (node is not JsonObject payload)
        {
            AddProblem(connection, "sent JSON that is not an object (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        lock (_lock)
        {
            _received.Add(payload);
        }

        if (!TryGetInteger(payload["op"], out var op))
        {
            AddProblem(connection, "sent a payload without an integer op (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        switch (op)
        {
            case 1:
                await HeartbeatLockedAsync(connection, payload).ConfigureAwait(false);
                break;
            case 2:
                await IdentifyLockedAsync(connection, payload).ConfigureAwait(false);
                break;
            case 6:
                await ResumeLockedAsync(connection, payload).ConfigureAwait(false);
                break;
            case 3 or 4 or 8 or 31 or 43:
                if (!connection.Authenticated)
                {
                    AddProblem(connection, $"sent op {op} before Identify or Resume completed (closed 4003)");
                    await CloseLockedAsync(connection, 4003, "Not authenticated").ConfigureAwait(false);
                }

                break;
            default:
                AddProblem(connection, $"sent unknown opcode {op} (closed 4001)");
                await CloseLockedAsync(connection, 4001, "Unknown opcode").ConfigureAwait(false);
                break;
        }
    }

    private bool IsOverPayloadRate(GatewayConnection connection)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var times = connection.PayloadTimestamps;
            while (times.Count > 0 && _time.GetElapsedTime(times.Peek(), now) >= PayloadRateWindow)
            {
                times.Dequeue();
            }

            times.Enqueue(now);
            return times.Count > _options.PayloadsPerMinute;
        }
    }

    private TimeSpan HeartbeatGrace => TimeSpan.FromMilliseconds(_options.HeartbeatIntervalMs * _options.HeartbeatGraceFactor);

    private async Task HeartbeatLockedAsync(GatewayConnection connection, JsonObject payload)
    {
        long? claimed = null;
        var data = payload["d"];
        if (data is not null)
        {
            if (!TryGetInteger(data, out var value))
            {
                AddProblem(connection, "sent a heartbeat whose d is neither null nor an integer sequence (closed 4002)");
                await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
                return;
            }

            claimed = value;
        }

        var now = _time.GetTimestamp();
        string? late = null;
        lock (_lock)
        {
            _heartbeats++;
            var sinceLast = _time.GetElapsedTime(connection.LastHeartbeatAt ?? connection.HelloAt, now);
            if (sinceLast > HeartbeatGrace)
            {
                late = $"heartbeat came {sinceLast.TotalMilliseconds:0} ms after the {(connection.LastHeartbeatAt is null ? "Hello" : "previous heartbeat")}; allowed {HeartbeatGrace.TotalMilliseconds:0} ms (closed {_options.HeartbeatTimeoutCloseCode})";
            }

            connection.LastHeartbeatAt = now;
            if (connection.HeartbeatRequestedAt is { } requestedAt)
            {
                var answeredAfter = _time.GetElapsedTime(requestedAt, now);
                if (answeredAfter > _options.RequestedHeartbeatDeadline)
                {
                    _problems.Add($"connection {connection.Number}: answered the op 1 heartbeat request after {answeredAfter.TotalMilliseconds:0} ms; Discord expects it at once");
                }

                connection.HeartbeatRequestedAt = null;
            }

            var session = connection.Session ?? _session;
            var highest = session?.Sequence ?? 0;
            if (claimed > highest)
            {
                _problems.Add($"connection {connection.Number}: heartbeat claims sequence {claimed}, but the session has only reached {highest}");
            }
        }

        if (late is not null)
        {
            AddProblem(connection, late);
            await CloseLockedAsync(connection, _options.HeartbeatTimeoutCloseCode, "Heartbeat too late").ConfigureAwait(false);
            return;
        }

        connection.WakeWatchdog();
        if (AcknowledgeHeartbeats)
        {
            await SendLockedAsync(connection, Envelope(11, null)).ConfigureAwait(false);
        }
    }

    private async Task WatchHeartbeatsAsync(GatewayConnection connection)
    {
        while (true)
        {
            TimeSpan wait;
            var overdue = false;
            lock (_lock)
            {
                if (connection.Ended || connection.ServerClosing)
                {
                    return;
                }

                wait = HeartbeatGrace - _time.GetElapsedTime(connection.LastHeartbeatAt ?? connection.HelloAt);
                if (wait <= TimeSpan.Zero)
                {
                    overdue = true;
                }
                else if (connection.HeartbeatRequestedAt is { } requestedAt)
                {
                    var requestLeft = _options.RequestedHeartbeatDeadline - _time.GetElapsedTime(requestedAt);
                    if (requestLeft <= TimeSpan.Zero)
                    {
                        _problems.Add($"connection {connection.Number}: no heartbeat within {_options.RequestedHeartbeatDeadline.TotalMilliseconds:0} ms of the op 1 heartbeat request; Discord expects one at once");
                        connection.HeartbeatRequestedAt = null;
                    }
                    else if (requestLeft < wait)
                    {
                        wait = requestLeft;
                    }
                }
            }

            if (overdue)
            {
                await WithGateAsync(() => CloseIfHeartbeatOverdueLockedAsync(connection)).ConfigureAwait(false);
                continue;
            }

            await connection.WaitForWakeAsync(wait, _time).ConfigureAwait(false);
        }
    }

    // Caller holds _gate. Re-checks, because a heartbeat may have been processed while this waited for the gate.
    private async Task CloseIfHeartbeatOverdueLockedAsync(GatewayConnection connection)
    {
        TimeSpan silence;
        lock (_lock)
        {
            if (connection.Ended || connection.ServerClosing)
            {
                return;
            }

            silence = _time.GetElapsedTime(connection.LastHeartbeatAt ?? connection.HelloAt);
            if (silence <= HeartbeatGrace)
            {
                return;
            }
        }

        // Discord's gateway page: a client that "fails to send a heartbeat event in time" has its connection closed
        // and must Resume; the code is configurable (see FakeGatewayOptions.HeartbeatTimeoutCloseCode).
        AddProblem(connection, $"no heartbeat for {silence.TotalMilliseconds:0} ms after the {(connection.LastHeartbeatAt is null ? "Hello" : "previous heartbeat")}; allowed {HeartbeatGrace.TotalMilliseconds:0} ms (closed {_options.HeartbeatTimeoutCloseCode})");
        await CloseLockedAsync(connection, _options.HeartbeatTimeoutCloseCode, "Heartbeat timed out").ConfigureAwait(false);
    }

    private static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue jsonValue && jsonValue.GetValueKind() == JsonValueKind.Number && jsonValue.TryGetValue(out value);
    }

    private static bool IsString(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    private sealed class GatewayConnection(int number, WebSocket socket, HttpContext context, bool viaResumeUrl) : IDisposable
    {
        private readonly Lock _endLock = new();
        private readonly SemaphoreSlim _wake = new(0);
        private readonly CancellationTokenSource _endedSource = new();
        private bool _isEnded;
        private volatile bool _serverClosing;

        public int Number { get; } = number;

        public WebSocket Socket { get; } = socket;

        public bool ViaResumeUrl { get; } = viaResumeUrl;

        public long HelloAt { get; set; }

        public long? LastHeartbeatAt { get; set; }

        public long? HeartbeatRequestedAt { get; set; }

        public bool Identified { get; set; }

        public bool Authenticated { get; set; }

        public bool ServerClosing
        {
            get => _serverClosing;
            set => _serverClosing = value;
        }

        public bool AbortedByServer { get; private set; }

        public bool ReconnectRequested { get; set; }

        public GatewaySession? Session { get; set; }

        public Queue<long> PayloadTimestamps { get; } = new();

        public bool Ended
        {
            get { lock (_endLock) { return _isEnded; } }
        }

        public bool CanSend => !ServerClosing && !Ended && Socket.State == WebSocketState.Open;

        public void MarkEnded()
        {
            lock (_endLock)
            {
                if (_isEnded)
                {
                    return;
                }

                _isEnded = true;
            }

            _endedSource.Cancel();
        }

        // Drops the TCP connection without a close frame. The HttpContext is only touched while the request runs,
        // because Kestrel reuses it afterwards.
        public void Abort()
        {
            lock (_endLock)
            {
                if (_isEnded)
                {
                    return;
                }

                AbortedByServer = true;
                Socket.Abort();
                context.Abort();
            }
        }

        public void AbortIfNotClosedWithin(TimeSpan grace) =>
            _ = Task.Delay(grace).ContinueWith(_ => Abort(), TaskScheduler.Default);

        public void WakeWatchdog()
        {
            lock (_endLock)
            {
                if (!_isEnded)
                {
                    _wake.Release();
                }
            }
        }

        public void Dispose()
        {
            MarkEnded();
            _wake.Dispose();
            _endedSource.Dispose();
        }

        /// <summary>Waits for a heartbeat, a request or the end of the connection, at most <paramref name="timeout"/> on <paramref name="time"/>.</summary>
        public async Task WaitForWakeAsync(TimeSpan timeout, TimeProvider time)
        {
            try
            {
                using var deadline = new CancellationTokenSource(timeout, time);
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _endedSource.Token);
                await _wake.WaitAsync(woken.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                // The connection ended; the watchdog loop sees Ended and stops.
            }
        }
    }
}
