using System.Buffers;
using System.Net.WebSockets;

namespace Bot.Discord.Gateway;

/// <summary>One WebSocket to the gateway: a single writer, a send budget, whole-message reads and heartbeat bookkeeping.</summary>
internal sealed class GatewayConnection : IAsyncDisposable
{
    /// <summary>Discord closes the connection (4002) for a larger payload.</summary>
    public const int MaxSendBytes = 4096;

    private const int InitialBufferBytes = 16 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _abort;
    private readonly TimeProvider _time;
    private GatewaySendLimiter _limiter;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _awaitingAck;
    private int _closeSent;

    public GatewayConnection(TimeProvider time)
    {
        _time = time;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _limiter = new GatewaySendLimiter(time, TimeSpan.Zero);
    }

    /// <summary>Cancelled when the socket is torn down; every send and receive observes it.</summary>
    public CancellationToken Aborted => _abort.Token;

    public async Task ConnectAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken, _abort.Token);
        await _socket.ConnectAsync(uri, linked.Token);
    }

    /// <summary>Sizes the heartbeat reserve of the send budget once Hello has told the interval.</summary>
    public void UseHeartbeatInterval(TimeSpan interval) => _limiter = new GatewaySendLimiter(_time, interval);

    /// <summary>Marks a heartbeat as sent; false when the previous one was never acknowledged (a zombie connection).</summary>
    public bool TryBeginHeartbeat() => Interlocked.Exchange(ref _awaitingAck, 1) == 0;

    public void Acknowledge() => Volatile.Write(ref _awaitingAck, 0);

    public async Task SendAsync(ReadOnlyMemory<byte> payload, bool isHeartbeat)
    {
        if (payload.Length > MaxSendBytes)
        {
            throw new InvalidOperationException($"A gateway payload of {payload.Length} bytes exceeds Discord's {MaxSendBytes}-byte limit.");
        }

        if (isHeartbeat)
        {
            _limiter.RecordHeartbeat();
        }
        else
        {
            while (!_limiter.TryAcquire(out var retryAfter))
            {
                await Task.Delay(retryAfter, _time, _abort.Token);
            }
        }

        await _sendLock.WaitAsync(_abort.Token);
        try
        {
            await _socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Reads one whole message, however many frames it spans. The payload stays valid until the next call.
    /// Throws <see cref="WebSocketException"/> or <see cref="OperationCanceledException"/> when the connection drops or is aborted.
    /// </summary>
    public async ValueTask<GatewayFrame> ReceiveAsync()
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), _abort.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return GatewayFrame.Closed((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return GatewayFrame.Message(_buffer.AsMemory(0, length));
            }
        }
    }

    /// <summary>
    /// Sends a close frame once, best effort, without waiting for Discord's reply; the read loop sees that reply
    /// or the abort that follows.
    /// </summary>
    public async Task CloseOutputAsync(int code, string description, TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1)
        {
            return;
        }

        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _abort.Token);
        var locked = false;
        try
        {
            // The deadline is on the injected clock; a timeout passed to WaitAsync would run on the wall clock.
            await _sendLock.WaitAsync(linked.Token);
            locked = true;
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, description, linked.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The peer is gone or too slow; the caller tears the socket down either way.
        }
        finally
        {
            if (locked)
            {
                _sendLock.Release();
            }
        }
    }

    /// <summary>
    /// The whole close handshake, for when no read is pending: sends the close frame (or answers Discord's) and reads,
    /// discarding, until Discord's reply or <paramref name="timeout"/>. Waiting for the reply rather than dropping
    /// the socket at once lets the peer finish its side cleanly; events discarded here are replayed on Resume.
    /// </summary>
    public async Task CloseAsync(int code, string description, TimeSpan timeout)
    {
        await CloseOutputAsync(code, description, timeout);
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        AbortAfter(timeout);
        try
        {
            while (!(await ReceiveAsync()).IsClose)
            {
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // No reply in time; disposing drops the socket.
        }
    }

    /// <summary>Tears the socket down after <paramref name="delay"/>, so a pending read ends even if Discord never answers.</summary>
    public void AbortAfter(TimeSpan delay)
    {
        try
        {
            _abort.CancelAfter(delay);
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    public void Abort()
    {
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }

        _socket.Abort();
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        _socket.Dispose();
        _abort.Dispose();
        _sendLock.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        return ValueTask.CompletedTask;
    }
}

/// <summary>A whole gateway message, or the close frame that ended the connection.</summary>
internal readonly record struct GatewayFrame(bool IsClose, int? CloseCode, string? CloseDescription, ReadOnlyMemory<byte> Payload)
{
    public static GatewayFrame Message(ReadOnlyMemory<byte> payload) => new(false, null, null, payload);

    public static GatewayFrame Closed(int? code, string? description) => new(true, code, description, ReadOnlyMemory<byte>.Empty);
}
