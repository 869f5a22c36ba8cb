namespace Bot.Slack.SocketMode;

/// <summary>Asks Slack for a Socket Mode WebSocket URL (<c>apps.connections.open</c> with the app-level token).</summary>
public interface ISocketModeUrlSource
{
    /// <summary>
    /// Returns a fresh, single-use <c>wss://</c> URL. The URL carries a ticket: never log it.
    /// Throws <see cref="SocketModeFatalException"/> when retrying cannot help (a bad or wrong kind of token);
    /// any other exception is treated as transient and retried with backoff.
    /// </summary>
    Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken);
}
