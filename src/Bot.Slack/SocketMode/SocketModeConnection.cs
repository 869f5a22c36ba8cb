using System.Net.WebSockets;
using Bot.Adapters.Connections;

namespace Bot.Slack.SocketMode;

/// <summary>
/// Socket Mode's side of one connection: whether Slack said <c>hello</c>, whether it asked the connection to go, the acks
/// of the envelopes that arrived on it, and its close, which lets those acks leave first.
/// </summary>
internal sealed class SocketModeConnection(WebSocketConnection socket, TimeProvider time)
{
    private readonly HashSet<Task> _pendingAcks = [];
    private readonly Lock _closeLock = new();
    private Task? _closing;
    private volatile bool _helloReceived;
    private volatile bool _helloTimedOut;

    public WebSocketConnection Socket { get; } = socket;

    /// <summary>Counts connections since start; logs name connections by it because the URL is secret.</summary>
    public int Number => Socket.Number;

    public bool HelloReceived => _helloReceived;

    /// <summary>Set when no <c>hello</c> came in time and the socket was torn down for it.</summary>
    public bool HelloTimedOut => _helloTimedOut;

    /// <summary>Set once Slack asked this connection to make way for another (<c>refresh_requested</c>, <c>warning</c>).</summary>
    public bool ReplacementRequested { get; set; }

    /// <summary>The work of closing this connection, once begun.</summary>
    public Task Closing
    {
        get
        {
            lock (_closeLock)
            {
                return _closing ?? Task.CompletedTask;
            }
        }
    }

    public bool IsClosing
    {
        get
        {
            lock (_closeLock)
            {
                return _closing is not null;
            }
        }
    }

    public void OnHello() => _helloReceived = true;

    /// <summary>Tears the socket down unless <c>hello</c> has arrived; for the hello deadline.</summary>
    public void AbortUnlessGreeted()
    {
        if (!_helloReceived)
        {
            _helloTimedOut = true;
            Socket.Abort();
        }
    }

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

    /// <summary>Waits, at most <paramref name="limit"/>, until every envelope that has arrived here so far has been acked (or its ack given up).</summary>
    public async Task WaitForAcksAsync(TimeSpan limit)
    {
        Task[] pending;
        lock (_pendingAcks)
        {
            pending = [.. _pendingAcks];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(limit, time);
        }
        catch (TimeoutException)
        {
            // Slack redelivers what was not acked.
        }
    }

    /// <summary>
    /// Closes once: lets the acks of what arrived here leave (waiting at most <paramref name="acksWithin"/>), then sends
    /// 1000 and tears the socket down after <paramref name="closeTimeout"/> unless the read sees Slack's reply first.
    /// Later calls change nothing; nothing can be sent on this connection once the close frame is out.
    /// </summary>
    public Task BeginClose(string description, TimeSpan acksWithin, TimeSpan closeTimeout)
    {
        lock (_closeLock)
        {
            return _closing ??= CloseAsync(description, acksWithin, closeTimeout);
        }
    }

    private async Task CloseAsync(string description, TimeSpan acksWithin, TimeSpan closeTimeout)
    {
        await WaitForAcksAsync(acksWithin);
        await Socket.CloseOutputAsync((int)WebSocketCloseStatus.NormalClosure, description, closeTimeout);
        Socket.AbortAfter(closeTimeout);
    }
}
