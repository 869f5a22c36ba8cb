namespace Bot.Adapters.Connections;

/// <summary>How a <see cref="ReconnectingWebSocket"/> waits between attempts and how long its connections may take.</summary>
public sealed class ReconnectOptions
{
    /// <summary>First delay after a failed attempt; it doubles per failure up to <see cref="BackoffMax"/>.</summary>
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether a connection lost after it was ready is followed by the first backoff step (true) or reconnected at once.
    /// </summary>
    public bool BackOffAfterReady { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a close handshake may take before the socket is simply dropped.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>WebSocket pings go out this often; null keeps <see cref="System.Net.WebSockets.ClientWebSocket"/>'s default.</summary>
    public TimeSpan? KeepAliveInterval { get; set; }

    /// <summary>A ping unanswered for this long ends the connection; null keeps the default (never).</summary>
    public TimeSpan? KeepAliveTimeout { get; set; }

    /// <summary>The largest message the peer accepts; a larger send is refused before it goes out. Null for no limit.</summary>
    public int? MaxSendBytes { get; set; }

    /// <summary>
    /// The largest message read from the peer. A larger one ends the connection (close code 1009) instead of growing
    /// the buffer without bound: neither platform sends anything near it to a bot, so only a broken or hostile peer does.
    /// </summary>
    public int MaxReceiveBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Exponential backoff with jitter: half the capped delay fixed, half random, so clients reconnecting together spread out.</summary>
    public TimeSpan Backoff(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var cap = TimeSpan.FromTicks((long)Math.Min(BackoffMax.Ticks, BackoffBase.Ticks * Math.Pow(2, doublings)));
        return (cap / 2) + (cap / 2 * Random.Shared.NextDouble());
    }
}
