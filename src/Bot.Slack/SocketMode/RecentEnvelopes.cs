namespace Bot.Slack.SocketMode;

/// <summary>
/// The acks of the most recent envelopes by <c>envelope_id</c>, so a redelivered envelope is acked again with the
/// same answer instead of reaching the handler twice. Bounded: the oldest ids are forgotten first.
/// </summary>
internal sealed class RecentEnvelopes(int capacity)
{
    private readonly Dictionary<string, Task<byte[]>> _acks = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <summary>
    /// Records <paramref name="ack"/> as the answer to <paramref name="envelopeId"/> and returns true, or returns false
    /// with the answer already recorded for it.
    /// </summary>
    public bool TryClaim(string envelopeId, Task<byte[]> ack, out Task<byte[]> existing)
    {
        lock (_lock)
        {
            if (_acks.TryGetValue(envelopeId, out existing!))
            {
                return false;
            }

            _acks.Add(envelopeId, ack);
            _order.Enqueue(envelopeId);
            while (_order.Count > capacity)
            {
                _acks.Remove(_order.Dequeue());
            }

            existing = ack;
            return true;
        }
    }
}
