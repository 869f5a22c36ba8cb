using Bot.Adapters.Connections;

namespace Bot.Discord.Gateway;

/// <summary>
/// The gateway's side of one connection, shared by its read and heartbeat loops: heartbeat bookkeeping, the send
/// budget, whether it resumes a session, and who ended it first.
/// </summary>
internal sealed class GatewayConnection(WebSocketConnection socket, bool resuming, TimeProvider time)
{
    /// <summary>Discord closes the connection (4002) for a larger payload.</summary>
    public const int MaxSendBytes = 4096;

    private GatewaySendLimiter _limiter = new(time, TimeSpan.Zero);
    private ConnectionOutcome? _ended;
    private int _awaitingAck;

    public WebSocketConnection Socket { get; } = socket;

    public bool Resuming { get; } = resuming;

    public bool ReachedReady { get; set; }

    public int Replayed { get; set; }

    public Task? HeartbeatTask { get; set; }

    public Task? StopTask { get; set; }

    /// <summary>Set by whoever ended the connection first (heartbeat loop or shutdown), so the read loop reports that.</summary>
    public ConnectionOutcome? Ended => Volatile.Read(ref _ended);

    public bool TryEnd(ConnectionOutcome outcome) => Interlocked.CompareExchange(ref _ended, outcome, null) is null;

    /// <summary>Sizes the heartbeat reserve of the send budget once Hello has told the interval.</summary>
    public void UseHeartbeatInterval(TimeSpan interval) => _limiter = new GatewaySendLimiter(time, interval);

    /// <summary>Marks a heartbeat as sent; false when the previous one was never acknowledged (a zombie connection).</summary>
    public bool TryBeginHeartbeat() => Interlocked.Exchange(ref _awaitingAck, 1) == 0;

    public void Acknowledge() => Volatile.Write(ref _awaitingAck, 0);

    /// <summary>Sends within Discord's budget: a heartbeat at once, anything else once the budget has room for it.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, bool isHeartbeat)
    {
        if (isHeartbeat)
        {
            _limiter.RecordHeartbeat();
        }
        else
        {
            while (!_limiter.TryAcquire(out var retryAfter))
            {
                await Task.Delay(retryAfter, time, Socket.Aborted);
            }
        }

        await Socket.SendAsync(payload);
    }
}
