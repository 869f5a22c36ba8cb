namespace Bot.Adapters;

/// <summary>A bounded set of recently seen keys (interaction or trigger ids), oldest forgotten first: enough to spot a redelivery.</summary>
public sealed class RecentKeys(int capacity)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _keys = [];
    private readonly Queue<string> _order = new();

    /// <summary>True when <paramref name="key"/> was not seen recently (and is now remembered).</summary>
    public bool Add(string key)
    {
        lock (_lock)
        {
            if (!_keys.Add(key))
            {
                return false;
            }

            _order.Enqueue(key);
            if (_order.Count > capacity)
            {
                _keys.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
