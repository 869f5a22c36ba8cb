using System.Buffers;
using System.Net.WebSockets;

namespace Bot.Adapters.Connections;

/// <summary>
/// One client WebSocket: whole-message reads into a pooled buffer, a single writer, a send size limit, and a close
/// that never waits longer than it is told. Created by <see cref="ReconnectingWebSocket"/>, which disposes it once the
/// protocol is done with it; every wait runs on the loop's <see cref="TimeProvider"/>.
/// </summary>
public sealed class WebSocketConnection : IAsyncDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _abort;
    private readonly TimeProvider _time;
    private readonly TimeSpan _connectTimeout;
    private readonly int? _maxSendBytes;
    private readonly int _maxReceiveBytes;
    private readonly TimeSpan _closeTimeout;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _closeSent;
    private int _disposed;

    internal WebSocketConnection(int number, ReconnectOptions options, TimeProvider time)
    {
        Number = number;
        _time = time;
        _connectTimeout = options.ConnectTimeout;
        _maxSendBytes = options.MaxSendBytes;
        _maxReceiveBytes = options.MaxReceiveBytes;
        _closeTimeout = options.CloseTimeout;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        if (options.KeepAliveInterval is { } interval)
        {
            _socket.Options.KeepAliveInterval = interval;
        }

        if (options.KeepAliveTimeout is { } timeout)
        {
            _socket.Options.KeepAliveTimeout = timeout;
        }
    }

    /// <summary>Counts connections since start; logs name a connection by it because its URL may be secret.</summary>
    public int Number { get; }

    /// <summary>Cancelled when the socket is torn down; every send and receive observes it.</summary>
    public CancellationToken Aborted => _abort.Token;

    /// <summary>Open, and no close frame sent yet: a send can still go out.</summary>
    public bool IsOpen => Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _closeSent) == 0 && _socket.State == WebSocketState.Open;

    /// <summary>Connects within the connect timeout of the options.</summary>
    public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_connectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken, _abort.Token);
        await _socket.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one text message. Throws <see cref="InvalidOperationException"/> for a message over the size limit, and
    /// <see cref="WebSocketException"/> or <see cref="OperationCanceledException"/> when the connection is gone.
    /// </summary>
    public async Task SendAsync(ReadOnlyMemory<byte> message)
    {
        if (message.Length > _maxSendBytes)
        {
            throw new InvalidOperationException($"A message of {message.Length} bytes exceeds the peer's {_maxSendBytes}-byte limit.");
        }

        await _sendLock.WaitAsync(_abort.Token).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _abort.Token).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Sends one text message; false when the connection is closing or gone (nothing was sent).</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> message)
    {
        if (!IsOpen || message.Length > _maxSendBytes)
        {
            return false;
        }

        var locked = false;
        try
        {
            await _sendLock.WaitAsync(_abort.Token).ConfigureAwait(false);
            locked = true;
            if (!IsOpen)
            {
                return false;
            }

            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _abort.Token).ConfigureAwait(false);
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
    /// Reads one whole message, however many frames it spans. The payload stays valid until the next call, which must not
    /// overlap this one. Throws <see cref="WebSocketException"/>, <see cref="OperationCanceledException"/>,
    /// <see cref="ObjectDisposedException"/> or <see cref="IOException"/> when the connection drops, misses its pongs or is aborted,
    /// and <see cref="WebSocketException"/> after closing with 1009 when a message is larger than the options allow.
    /// </summary>
    public async ValueTask<WebSocketMessage> ReceiveAsync()
    {
        var length = 0;
        while (true)
        {
            if (length == _maxReceiveBytes)
            {
                await CloseOutputAsync((int)WebSocketCloseStatus.MessageTooBig, "Message too big", _closeTimeout).ConfigureAwait(false);
                throw new WebSocketException(WebSocketError.Faulted, $"The peer sent a message larger than {_maxReceiveBytes} bytes.");
            }

            if (length == _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxReceiveBytes));
                _buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length, Math.Min(_buffer.Length, _maxReceiveBytes) - length), _abort.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return WebSocketMessage.Closed((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return WebSocketMessage.Message(_buffer.AsMemory(0, length));
            }
        }
    }

    /// <summary>
    /// Sends a close frame once, best effort, without waiting for the peer's reply: the reader sees that reply, or the
    /// abort the caller arranges. Waits for a message being written to finish, so the close never cuts one in half.
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
            await _sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
            locked = true;
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, description, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            // The peer is gone or too slow; the caller tears the socket down either way.
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
    /// The whole close handshake, for when no read is pending: sends the close frame (or answers the peer's) and reads,
    /// discarding, until the peer's reply or <paramref name="timeout"/>. Waiting for the reply rather than dropping the
    /// socket at once lets the peer finish its side cleanly.
    /// </summary>
    public async Task CloseAsync(int code, string description, TimeSpan timeout)
    {
        await CloseOutputAsync(code, description, timeout).ConfigureAwait(false);
        if (_socket.State != WebSocketState.CloseSent)
        {
            return;
        }

        AbortAfter(timeout);
        try
        {
            while (!(await ReceiveAsync().ConfigureAwait(false)).IsClose)
            {
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // No reply in time; disposing drops the socket.
        }
    }

    /// <summary>Tears the socket down after <paramref name="delay"/>, so a pending read ends even if the peer never answers.</summary>
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

    /// <summary>Drops the socket and frees the buffer; the protocol's reads must have ended (its run has returned).</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        Abort();
        _socket.Dispose();
        _abort.Dispose();
        _sendLock.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        return ValueTask.CompletedTask;
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

/// <summary>A whole message, or the close frame that ended the connection.</summary>
public readonly record struct WebSocketMessage(bool IsClose, int? CloseCode, string? CloseDescription, ReadOnlyMemory<byte> Payload)
{
    public static WebSocketMessage Message(ReadOnlyMemory<byte> payload) => new(false, null, null, payload);

    public static WebSocketMessage Closed(int? code, string? description) => new(true, code, description, ReadOnlyMemory<byte>.Empty);
}
