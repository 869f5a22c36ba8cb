namespace Bot.Discord.Gateway;

/// <summary>
/// Discord disconnects a connection that sends more than 120 payloads in 60 seconds. Heartbeats must never
/// wait (a late heartbeat also ends the connection), so other payloads stop early and leave them room.
/// One limiter per connection: the limit is counted per socket.
/// </summary>
internal sealed class GatewaySendLimiter
{
    public const int Limit = 120;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _time;
    private readonly int _reservedForHeartbeats;
    private readonly Queue<long> _sentAt = new();
    private readonly Lock _gate = new();

    public GatewaySendLimiter(TimeProvider time, TimeSpan heartbeatInterval)
    {
        _time = time;
        // Heartbeats due in one window, plus a few that Discord may request; never more than half the budget.
        var scheduled = heartbeatInterval > TimeSpan.Zero ? (int)Math.Ceiling(Window / heartbeatInterval) : Limit;
        _reservedForHeartbeats = Math.Clamp(scheduled + 3, 3, Limit / 2);
    }

    public int ReservedForHeartbeats => _reservedForHeartbeats;

    /// <summary>Counts a heartbeat; it is always allowed.</summary>
    public void RecordHeartbeat()
    {
        lock (_gate)
        {
            Prune();
            _sentAt.Enqueue(_time.GetTimestamp());
        }
    }

    /// <summary>Takes a slot for a payload other than a heartbeat, or says how long to wait before asking again.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            Prune();
            if (_sentAt.Count < Limit - _reservedForHeartbeats)
            {
                _sentAt.Enqueue(_time.GetTimestamp());
                retryAfter = TimeSpan.Zero;
                return true;
            }

            // Slots free up as the oldest sends leave the window; wait for enough of them.
            var excess = _sentAt.Count - (Limit - _reservedForHeartbeats - 1);
            var freedBy = _sentAt.ElementAt(Math.Min(excess, _sentAt.Count) - 1);
            retryAfter = Window - _time.GetElapsedTime(freedBy) + TimeSpan.FromMilliseconds(1);
            return false;
        }
    }

    private void Prune()
    {
        while (_sentAt.Count > 0 && _time.GetElapsedTime(_sentAt.Peek()) >= Window)
        {
            _sentAt.Dequeue();
        }
    }
}
