using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// Slack's Socket Mode side. <c>apps.connections.open</c> issues a single-use URL; a connection to it is sent
/// <c>hello</c>, then envelopes <c>{"envelope_id","type","payload","accepts_response_payload"}</c> (plus
/// <c>retry_attempt</c>/<c>retry_reason</c> on <c>events_api</c> envelopes and redeliveries). The client must ack
/// each with <c>{"envelope_id"}</c> (and a <c>payload</c> only when the envelope accepts one) within
/// <see cref="AckDeadline"/>. Missed deadlines, payloads on envelopes that take none, acks for unknown ids,
/// unexpected frames and reused URLs are recorded in <see cref="FakeSlack.Problems"/>.
/// </summary>
public sealed class FakeSocketMode
{
    private readonly FakeSlack _slack;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _urlUsed = new(StringComparer.Ordinal);
    private readonly List<Connection> _live = [];
    private readonly Dictionary<string, Envelope> _envelopes = new(StringComparer.Ordinal);
    private readonly List<Envelope> _queued = [];
    private readonly List<FakeAck> _acks = [];
    private readonly List<FakeSocketFrame> _sent = [];
    private int _opens;
    private int _accepted;
    private int _connections;
    private bool _shutDown;

    internal FakeSocketMode(FakeSlack slack, TimeProvider time)
    {
        _slack = slack;
        _time = time;
    }

    /// <summary>How long Slack waits for an ack before counting it missed (3 s; shorten it in tests of redelivery).</summary>
    public TimeSpan AckDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Concurrent connections allowed per app; one more is sent <c>disconnect</c> <c>too_many_websockets</c> (third parties say 10).</summary>
    public int MaxConnections { get; set; } = 10;

    /// <summary>How often one envelope is redelivered before the fake gives up on it.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>
    /// Like Slack, send an envelope again with <c>retry_attempt</c>+1 when it was not acked within
    /// <see cref="AckDeadline"/> (on the newest live connection), or was sent while no connection was up or on one that
    /// dropped (on the next connection). When false, <see cref="SendEnvelopeAsync"/> without a connection throws.
    /// </summary>
    public bool RedeliverUnacked { get; set; } = true;

    /// <summary>Calls of <c>apps.connections.open</c> that were answered with a URL.</summary>
    public int Opens
    {
        get
        {
            lock (_gate)
            {
                return _opens;
            }
        }
    }

    /// <summary>Connections accepted and sent <c>hello</c> so far (including closed ones).</summary>
    public int Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections;
            }
        }
    }

    /// <summary>Connections open right now that have been sent <c>hello</c>.</summary>
    public int LiveConnections
    {
        get
        {
            lock (_gate)
            {
                return _live.Count(c => c.Ready);
            }
        }
    }

    /// <summary>Whether a connection that has been sent <c>hello</c> is open.</summary>
    public bool IsConnected => LiveConnections > 0;

    /// <summary>Every ack received, in order; duplicates are kept so tests can assert "acked once".</summary>
    public IReadOnlyList<FakeAck> Acks
    {
        get
        {
            lock (_gate)
            {
                return _acks.ToList();
            }
        }
    }

    /// <summary>Every frame sent to clients (hello, envelopes, disconnects), in order.</summary>
    public IReadOnlyList<FakeSocketFrame> SentFrames
    {
        get
        {
            lock (_gate)
            {
                return _sent.ToList();
            }
        }
    }

    /// <summary>Envelope ids not acked yet.</summary>
    public IReadOnlyList<string> UnackedEnvelopeIds
    {
        get
        {
            lock (_gate)
            {
                return _envelopes.Values.Where(e => !e.Acked).Select(e => e.Id).ToList();
            }
        }
    }

    /// <summary>Waits until a connection that has been sent <c>hello</c> is open.</summary>
    /// <exception cref="TimeoutException">None in time.</exception>
    public Task WaitForConnectionAsync(TimeSpan timeout) =>
        _slack.WaitForAsync(_ => IsConnected, timeout);

    /// <summary>Waits until <paramref name="count"/> connections in all have been sent <c>hello</c> and one is open (e.g. 2 after a reconnect).</summary>
    /// <exception cref="TimeoutException">Not in time.</exception>
    public Task WaitForConnectionAsync(int count, TimeSpan timeout) =>
        _slack.WaitForAsync(_ => Connections >= count && IsConnected, timeout);

    /// <summary>
    /// Sends an envelope on the newest live connection and returns its <c>envelope_id</c>. Without a live connection
    /// it is queued for the next one (with <c>retry_attempt</c>+1) when <see cref="RedeliverUnacked"/> is set.
    /// </summary>
    /// <exception cref="InvalidOperationException">No live connection and <see cref="RedeliverUnacked"/> is off.</exception>
    public async Task<string> SendEnvelopeAsync(string type, JsonNode payload, bool acceptsResponsePayload = true, int? retryAttempt = null, string? retryReason = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(payload);
        var envelope = new Envelope(Guid.NewGuid().ToString(), type, payload.DeepClone(), acceptsResponsePayload)
        {
            RetryAttempt = retryAttempt ?? 0,
            RetryReason = retryReason,
        };
        Connection? target;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutDown, this);
            target = NewestReady();
            if (target is null)
            {
                if (!RedeliverUnacked)
                {
                    throw new InvalidOperationException("No live Socket Mode connection to send the envelope on.");
                }

                envelope.RetryAttempt++;
                envelope.RetryReason ??= "timeout";
                _queued.Add(envelope);
            }

            _envelopes[envelope.Id] = envelope;
        }

        if (target is not null)
        {
            await DeliverAsync(envelope, target);
        }

        return envelope.Id;
    }

    /// <summary>Waits for the first ack of <paramref name="envelopeId"/>. An ack later than <see cref="AckDeadline"/> is a problem (recorded when the deadline passes).</summary>
    /// <exception cref="TimeoutException">No ack in time.</exception>
    public async Task<FakeAck> WaitForAckAsync(string envelopeId, TimeSpan timeout)
    {
        FakeAck? ack = null;
        await _slack.WaitForAsync(_ => (ack = Acks.FirstOrDefault(a => a.EnvelopeId == envelopeId)) is not null, timeout);
        return ack!;
    }

    /// <summary>Sends <c>{"type":"disconnect","reason":…}</c> on the newest live connection (refresh_requested, warning, link_disabled, too_many_websockets). The connection stays open until the client closes it or <see cref="Drop"/>.</summary>
    /// <exception cref="InvalidOperationException">No live connection.</exception>
    public async Task SendDisconnectAsync(string reason)
    {
        Connection target;
        lock (_gate)
        {
            target = NewestReady() ?? throw new InvalidOperationException("No live Socket Mode connection to disconnect.");
        }

        await SendDisconnectAsync(target, reason);
    }

    /// <summary>Aborts the newest live connection without a close frame, as a network failure would.</summary>
    /// <exception cref="InvalidOperationException">No live connection.</exception>
    public void Drop()
    {
        Connection target;
        lock (_gate)
        {
            target = _live.LastOrDefault() ?? throw new InvalidOperationException("No live Socket Mode connection to drop.");
        }

        target.Abort();
    }

    internal Uri IssueUrl(Uri baseAddress)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _urlUsed[id] = false;
            _opens++;
        }

        return new Uri($"ws://{baseAddress.Authority}/socket/{id}?app_id={FakeSlack.AppId}");
    }

    internal string Describe()
    {
        lock (_gate)
        {
            var unacked = _envelopes.Values.Where(e => !e.Acked).Select(e => $"{e.Id} ({e.Type}, attempt {e.RetryAttempt})");
            return string.Create(
                CultureInfo.InvariantCulture,
                $"Socket Mode: opens {_opens}, connections {_connections}, live {_live.Count(c => c.Ready)}, acks {_acks.Count}, queued {_queued.Count}, unacked [{string.Join(", ", unacked)}]");
        }
    }

    internal void Shutdown()
    {
        List<Connection> live;
        lock (_gate)
        {
            _shutDown = true;
            foreach (var envelope in _envelopes.Values)
            {
                envelope.Timer?.Dispose();
            }

            live = _live.ToList();
        }

        foreach (var connection in live)
        {
            connection.Abort();
        }
    }

    internal async Task HandleAsync(HttpContext context, string id)
    {
        var at = _time.GetUtcNow();
        int refusal;
        string? problem = null;
        lock (_gate)
        {
            if (_shutDown)
            {
                refusal = StatusCodes.Status503ServiceUnavailable;
            }
            else if (!_urlUsed.TryGetValue(id, out var used))
            {
                refusal = StatusCodes.Status404NotFound;
                problem = "socket: connection to a URL apps.connections.open never issued";
            }
            else if (used)
            {
                refusal = StatusCodes.Status403Forbidden;
                problem = "socket: connection to a URL already used; call apps.connections.open for every connection";
            }
            else if (!context.WebSockets.IsWebSocketRequest)
            {
                refusal = StatusCodes.Status400BadRequest;
                problem = "socket: request to a Socket Mode URL that is not a WebSocket upgrade";
            }
            else
            {
                refusal = 0;
                _urlUsed[id] = true;
            }
        }

        if (refusal != 0)
        {
            if (problem is not null)
            {
                _slack.AddProblem(problem);
            }

            _slack.RecordRequest(context, string.Empty, refusal, at);
            context.Response.StatusCode = refusal;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        _slack.RecordRequest(context, string.Empty, StatusCodes.Status101SwitchingProtocols, at);
        using var connection = new Connection(context, socket);
        int liveCount;
        lock (_gate)
        {
            connection.Number = ++_accepted;
            _live.Add(connection);
            liveCount = _live.Count;
        }

        try
        {
            List<Envelope> pending = [];
            var tooMany = false;

            // Ready is set while the hello still holds the send lock: an envelope sent at once after the
            // client reads hello must go out on this connection, not be queued as a redelivery.
            await SendAsync(connection, Hello(liveCount), onSent: () =>
            {
                lock (_gate)
                {
                    connection.Ready = true;
                    _connections++;
                    tooMany = _live.Count(c => c.Ready) > MaxConnections;
                    pending = _queued.ToList();
                    _queued.Clear();
                }
            });

            if (tooMany)
            {
                await SendDisconnectAsync(connection, "too_many_websockets");
            }

            foreach (var envelope in pending)
            {
                await DeliverAsync(envelope, connection);
            }

            await ReceiveLoopAsync(connection);
        }
        finally
        {
            connection.MarkEnded();
            OnConnectionClosed(connection);
        }
    }

    private static string Hello(int liveCount) => new JsonObject
    {
        ["type"] = "hello",
        ["num_connections"] = liveCount,
        ["debug_info"] = new JsonObject
        {
            ["host"] = "applink-fake-1",
            ["build_number"] = 1,
            ["approximate_connection_time"] = 18060,
        },
        ["connection_info"] = new JsonObject { ["app_id"] = FakeSlack.AppId },
    }.ToJsonString();

    // Caller holds _gate.
    private Connection? NewestReady() => _live.LastOrDefault(c => c.Ready && !c.Aborted);

    private Task SendDisconnectAsync(Connection connection, string reason) =>
        SendAsync(connection, new JsonObject
        {
            ["type"] = "disconnect",
            ["reason"] = reason,
            ["debug_info"] = new JsonObject { ["host"] = "applink-fake-1" },
        }.ToJsonString());

    private async Task DeliverAsync(Envelope envelope, Connection connection)
    {
        string frame;
        lock (_gate)
        {
            if (envelope.Acked || _shutDown)
            {
                return;
            }

            var generation = ++envelope.Generation;
            envelope.SentOn = connection;
            envelope.Timer?.Dispose();
            envelope.Timer = _time.CreateTimer(_ => OnDeadline(envelope, generation), null, AckDeadline, Timeout.InfiniteTimeSpan);
            frame = envelope.ToJson().ToJsonString();
        }

        await SendAsync(connection, frame);
    }

    private void OnDeadline(Envelope envelope, int generation)
    {
        Connection? target;
        lock (_gate)
        {
            if (envelope.Acked || envelope.Generation != generation || _shutDown)
            {
                return;
            }

            envelope.MissedDeadline = true;
            envelope.SentOn = null;
            _slack.AddProblem($"socket: envelope {envelope.Id} ({envelope.Type}, attempt {envelope.RetryAttempt}) not acked within {AckDeadline.TotalSeconds:0.###} s");
            if (!RedeliverUnacked || envelope.RetryAttempt >= MaxRetryAttempts)
            {
                return;
            }

            envelope.RetryAttempt++;
            envelope.RetryReason = "timeout";
            target = NewestReady();
            if (target is null)
            {
                _queued.Add(envelope);
                return;
            }
        }

        _ = DeliverAsync(envelope, target);
    }

    private void OnConnectionClosed(Connection connection)
    {
        var moved = new List<Envelope>();
        Connection? target;
        lock (_gate)
        {
            _live.Remove(connection);
            foreach (var envelope in _envelopes.Values.Where(e => !e.Acked && e.SentOn == connection))
            {
                envelope.Generation++;
                envelope.Timer?.Dispose();
                envelope.SentOn = null;
                if (RedeliverUnacked && envelope.RetryAttempt < MaxRetryAttempts && !_shutDown)
                {
                    envelope.RetryAttempt++;
                    envelope.RetryReason = "timeout";
                    moved.Add(envelope);
                }
            }

            target = NewestReady();
            if (target is null)
            {
                _queued.AddRange(moved);
                moved.Clear();
            }
        }

        foreach (var envelope in moved)
        {
            _ = DeliverAsync(envelope, target!);
        }
    }

    private async Task SendAsync(Connection connection, string json, Action? onSent = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        try
        {
            await connection.SendLock.WaitAsync();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.Socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                lock (_gate)
                {
                    _sent.Add(new FakeSocketFrame(connection.Number, json, _time.GetUtcNow()));
                }

                onSent?.Invoke();
            }
            finally
            {
                connection.SendLock.Release();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The connection is going away; its receive loop notices and unacked envelopes are requeued.
        }
    }

    private async Task ReceiveLoopAsync(Connection connection)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await connection.Socket.ReceiveAsync(buffer.AsMemory(), connection.Stopping);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, timeout.Token);
                }
                catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
                {
                    // The client did not wait for our half of the close handshake.
                }

                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                _slack.AddProblem("socket: binary frame from the client; Socket Mode speaks JSON text frames");
            }
            else
            {
                OnClientFrame(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
            }

            message.SetLength(0);
        }
    }

    private void OnClientFrame(string text)
    {
        JsonObject? frame;
        try
        {
            frame = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            frame = null;
        }

        if (frame?["envelope_id"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
        {
            _slack.AddProblem($"socket: unexpected frame from the client (not an ack): {Truncate(text)}");
            return;
        }

        var id = idValue.GetValue<string>();
        var payload = frame["payload"];
        lock (_gate)
        {
            var known = _envelopes.TryGetValue(id, out var envelope);
            var late = false;
            if (envelope is null)
            {
                _slack.AddProblem($"socket: ack for unknown envelope_id {id}");
            }
            else
            {
                if (payload is not null && !envelope.AcceptsResponsePayload)
                {
                    _slack.AddProblem($"socket: ack of {id} ({envelope.Type}) carries a payload, but the envelope has accepts_response_payload false");
                }
                else if (payload is not null and not JsonObject)
                {
                    _slack.AddProblem($"socket: ack of {id} has a payload that is not a JSON object");
                }

                late = envelope.MissedDeadline;
                if (!envelope.Acked)
                {
                    envelope.Acked = true;
                    envelope.Timer?.Dispose();
                    _queued.Remove(envelope);
                }
            }

            _acks.Add(new FakeAck(id, payload?.DeepClone(), _time.GetUtcNow(), late, known, text));
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private sealed class Envelope(string id, string type, JsonNode payload, bool acceptsResponsePayload)
    {
        public string Id { get; } = id;

        public string Type { get; } = type;

        public JsonNode Payload { get; } = payload;

        public bool AcceptsResponsePayload { get; } = acceptsResponsePayload;

        public int RetryAttempt { get; set; }

        public string? RetryReason { get; set; }

        public bool Acked { get; set; }

        public bool MissedDeadline { get; set; }

        public int Generation { get; set; }

        public Connection? SentOn { get; set; }

        public ITimer? Timer { get; set; }

        public JsonObject ToJson()
        {
            var json = new JsonObject
            {
                ["envelope_id"] = Id,
                ["payload"] = Payload.DeepClone(),
                ["type"] = Type,
                ["accepts_response_payload"] = AcceptsResponsePayload,
            };
            if (Type == "events_api" || RetryAttempt > 0)
            {
                json["retry_attempt"] = RetryAttempt;
                json["retry_reason"] = RetryReason ?? string.Empty;
            }

            return json;
        }
    }

    private sealed class Connection(HttpContext context, WebSocket socket) : IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private readonly Lock _endLock = new();
        private bool _ended;

        public WebSocket Socket { get; } = socket;

        public SemaphoreSlim SendLock { get; } = new(1, 1);

        public int Number { get; set; }

        public bool Ready { get; set; }

        public bool Aborted { get; private set; }

        public CancellationToken Stopping => _stopping.Token;

        // Kestrel reuses the HttpContext once the request has completed, so after this it must not be touched.
        public void MarkEnded()
        {
            lock (_endLock)
            {
                _ended = true;
            }
        }

        // Drops the TCP connection without a close frame, as a network failure would.
        public void Abort()
        {
            lock (_endLock)
            {
                Aborted = true;
                if (_ended)
                {
                    return;
                }

                _stopping.Cancel();
                Socket.Abort();
                context.Abort();
            }
        }

        public void Dispose()
        {
            _stopping.Dispose();
            SendLock.Dispose();
            Socket.Dispose();
        }
    }
}
