using System.Buffers;
using System.Net.WebSockets;

namespace Bot.Slack.SocketMode;

/// <summary>
/// One Socket Mode WebSocket: a single writer, whole-message reads into a pooled buffer, and WebSocket
/// ping/pong keep-alive so a silently dead connection ends the read with an exception.
/// </summary>
internal sealed class SocketModeConnection : IAsyncDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _abort;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<Task> _pendingAcks = [];
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _closeSent;
    private int _disposed;

    public SocketModeConnection(int number, TimeProvider time, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout)
    {
        Number = number;
        _time = time;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _socket.Options.KeepAliveInterval = keepAliveInterval;
        _socket.Options.KeepAliveTimeout = keepAliveTimeout;
    }

    /// <summary>Counts connections since start; logs name connections by it because the URL is secret.</summary>
    public int Number { get; }

    /// <summary>Completes when Slack says <c>hello</c>; fails if the connection ends or is told to go first.</summary>
    public Task Hello => _hello.Task;

    /// <summary>The read loop; set once connected.</summary>
    public Task ReadLoop { get; set; } = Task.CompletedTask;

    /// <summary>Set once this connection no longer receives the supervisor's attention (replaced, closing or closed).</summary>
    public bool Retired { get; set; }

    public bool IsOpen => Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _closeSent) == 0 && _socket.State == WebSocketState.Open;

    /// <summary>The work of closing this connection once it is retired.</summary>
    public Task Closing { get; set; } = Task.CompletedTask;

    /// <summary>The <c>reason</c> of the last <c>disconnect</c> message Slack sent on this connection.</summary>
    public string? DisconnectReason { get; set; }

    public void HelloReceived() => _hello.TrySetResult();

    public void HelloFailed(Exception reason) => _hello.TrySetException(reason);

    /// <summary>Remembers the handling and acking of an envelope that arrived here, so closing can let its ack leave first.</summary>
    public void TrackAck(Task acking)
    {
        lock (_pendingAcks)
        {
            _pendingAcks.Add(acking);
        }

        _ = acking.ContinueWith(
            static (done, state) =>
            {
                var pending = (HashSet<Task>)state!;
                lock (pending)
                {
                    pending.Remove(done);
                }
            },
            _pendingAcks,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when every envelope that has arrived here so far has been acked (or its ack given up).</summary>
    public Task WhenAcksSentAsync()
    {
        Task[] pending;
        lock (_pendingAcks)
        {
            pending = [.. _pendingAcks];
        }

        return Task.WhenAll(pending);
    }

    public async Task ConnectAsync(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken, _abort.Token);
        await _socket.ConnectAsync(uri, linked.Token);
    }

    /// <summary>Sends one text message; false when the connection is closing or gone (nothing was sent).</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> message)
    {
        if (!IsOpen)
        {
            return false;
        }

        var locked = false;
        try
        {
            await _sendLock.WaitAsync(_abort.Token);
            locked = true;
            if (!IsOpen)
            {
                return false;
            }

            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
            return true;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return false;
        }
        finally
        {
            if (locked)
            {
                Release();
            }
        }
    }

    /// <summary>
    /// Reads one whole message, however many frames it spans. The payload stays valid until the next call.
    /// Throws <see cref="WebSocketException"/>, <see cref="OperationCanceledException"/> or <see cref="ObjectDisposedException"/>
    /// when the connection drops, misses its pongs or is aborted.
    /// </summary>
    public async ValueTask<SocketModeFrame> ReceiveAsync()
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
                return SocketModeFrame.Closed((int?)_socket.CloseStatus);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return SocketModeFrame.Message(_buffer.AsMemory(0, length));
            }
        }
    }

    /// <summary>
    /// Sends a close frame once, best effort, then tears the socket down after <paramref name="timeout"/> unless the read
    /// loop sees Slack's reply first. Nothing can be sent on this connection afterwards.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string description, TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _abort.Token);
        var locked = false;
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Waits for an ack being written to finish, so the close frame never cuts a message in half.
                await _sendLock.WaitAsync(linked.Token);
                locked = true;
                await _socket.CloseOutputAsync(status, description, linked.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // The peer is gone or too slow; the abort below ends the read loop either way.
        }
        finally
        {
            if (locked)
            {
                Release();
            }
        }

        AbortAfter(timeout);
    }

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

    /// <summary>Aborts, waits for the read loop to notice, then frees the socket and buffer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Abort();
        await ReadLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _hello.TrySetCanceled();
        _socket.Dispose();
        _abort.Dispose();
        _sendLock.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Release()
    {
        try
        {
            _sendLock.Release();
        }
        catch (ObjectDisposedException)
        {
            // Disposed while sending; nobody waits any more.
        }
    }
}

/// <summary>A whole Socket Mode message, or the close frame that ended the connection.</summary>
internal readonly record struct SocketModeFrame(bool IsClose, int? CloseCode, ReadOnlyMemory<byte> Payload)
{
    public static SocketModeFrame Message(ReadOnlyMemory<byte> payload) => new(false, null, payload);

    public static SocketModeFrame Closed(int? code) => new(true, code, ReadOnlyMemory<byte>.Empty);
}
