namespace Bot.Adapters.Connections;

/// <summary>What a protocol says when one of its connections ends: what <see cref="ReconnectingWebSocket"/> does next, and why.</summary>
public sealed record ConnectionOutcome
{
    private ConnectionOutcome(ConnectionNext next, string detail)
    {
        Next = next;
        Detail = detail;
    }

    /// <summary>The host is shutting down: no other attempt.</summary>
    public static ConnectionOutcome Stopped { get; } = new(ConnectionNext.Stop, "stopping");

    public ConnectionNext Next { get; }

    /// <summary>Why, in words for the status detail and the logs; for <see cref="ConnectionNext.Fatal"/> it says what the operator should change.</summary>
    public string Detail { get; }

    /// <summary>The close code the peer ended the connection with, when it sent one.</summary>
    public int? CloseCode { get; init; }

    /// <summary>The next attempt waits at least this long, whatever the backoff says (Discord asks for 1 to 5 s after Invalid Session).</summary>
    public TimeSpan MinimumDelay { get; init; }

    /// <summary>Whether the connection, or one that replaced it, became ready; set by the loop.</summary>
    public bool WasReady { get; internal init; }

    /// <summary>Connect again and start over.</summary>
    public static ConnectionOutcome Reconnect(string detail) => new(ConnectionNext.Reconnect, detail);

    /// <summary>Connect again and pick up where this connection left off (a Discord Resume); the wait is the same as for <see cref="Reconnect"/>.</summary>
    public static ConnectionOutcome Resume(string detail) => new(ConnectionNext.Resume, detail);

    /// <summary>Stop for good: reconnecting cannot help until an operator changes something (a rejected token, disallowed intents).</summary>
    public static ConnectionOutcome Fatal(string detail, int? closeCode = null) => new(ConnectionNext.Fatal, detail) { CloseCode = closeCode };
}

public enum ConnectionNext
{
    Reconnect,
    Resume,
    Fatal,
    Stop,
}
