namespace Bot.Adapters.Connections;

/// <summary>
/// The platform half of a <see cref="ReconnectingWebSocket"/>: it speaks its protocol on one connection at a time (and on
/// a replacement while the old one finishes, when it asks for one), and tells the loop's decisions in its own words.
/// </summary>
public interface IWebSocketProtocol
{
    /// <summary>What is being connected to, for the status while starting, e.g. <c>the Discord gateway</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs one connection: finds out where to connect, connects through <see cref="WebSocketAttempt.CreateConnection"/>,
    /// speaks the protocol and calls <see cref="WebSocketAttempt.Ready"/> once work can flow. Returns why the connection
    /// ended once nothing reads it any more; <see cref="ConnectionOutcome.Stopped"/> when <paramref name="stoppingToken"/>
    /// ended it, after closing it. A protocol that asks for replacements must also close and return when
    /// <see cref="WebSocketAttempt.Retired"/> fires. An exception other than cancellation by
    /// <paramref name="stoppingToken"/> is a bug: the loop reports it through <see cref="OnUnexpected"/> and resumes.
    /// </summary>
    Task<ConnectionOutcome> RunAsync(WebSocketAttempt attempt, CancellationToken stoppingToken);

    /// <summary>
    /// A connection ended and the loop waits <paramref name="delay"/> before the next attempt, after
    /// <paramref name="failures"/> failed attempts in a row: the protocol gets ready for that attempt and logs.
    /// </summary>
    void OnReconnecting(ConnectionOutcome outcome, int failures, TimeSpan delay);

    /// <summary>The loop stopped for good on a <see cref="ConnectionNext.Fatal"/> outcome; the status is Failed.</summary>
    void OnFailed(ConnectionOutcome outcome);

    /// <summary>The loop stopped because the host is shutting down.</summary>
    void OnStopped();

    /// <summary><see cref="RunAsync"/> threw; the loop resumes as after a dropped connection.</summary>
    void OnUnexpected(Exception exception);
}
