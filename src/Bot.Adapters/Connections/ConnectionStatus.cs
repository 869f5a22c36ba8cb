namespace Bot.Adapters.Connections;

/// <summary>
/// Whether a platform's connection can take work; read by <c>/readyz</c>. Each platform registers its own,
/// keyed by its <see cref="Bot.Core.Platform"/>.
/// </summary>
public sealed class ConnectionStatus
{
    private volatile Snapshot _current = new(ConnectionState.Starting, "starting");

    public Snapshot Current => _current;

    public void Starting(string detail) => _current = new(ConnectionState.Starting, detail);

    public void Ready(string detail) => _current = new(ConnectionState.Ready, detail);

    /// <summary>Lost, and trying again on its own.</summary>
    public void Reconnecting(string detail) => _current = new(ConnectionState.Reconnecting, detail);

    /// <summary>Stopped for good until an operator fixes <paramref name="detail"/> (a bad token, disallowed intents, Socket Mode turned off).</summary>
    public void Failed(string detail) => _current = new(ConnectionState.Failed, detail);

    public sealed record Snapshot(ConnectionState State, string Detail);
}

public enum ConnectionState
{
    Starting,
    Ready,
    Reconnecting,
    Failed,
}
