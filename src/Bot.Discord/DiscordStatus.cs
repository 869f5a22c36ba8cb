namespace Bot.Discord;

/// <summary>Whether the Discord adapter can take interactions; read by <c>/readyz</c>.</summary>
public sealed class DiscordStatus
{
    private volatile Snapshot _current = new(DiscordState.Starting, "starting");

    public Snapshot Current => _current;

    public void Starting(string detail) => _current = new(DiscordState.Starting, detail);

    public void Ready(string detail) => _current = new(DiscordState.Ready, detail);

    /// <summary>Lost, and trying again on its own.</summary>
    public void Reconnecting(string detail) => _current = new(DiscordState.Reconnecting, detail);

    /// <summary>Stopped for good until an operator fixes <paramref name="detail"/> (a bad token, disallowed intents).</summary>
    public void Failed(string detail) => _current = new(DiscordState.Failed, detail);

    public sealed record Snapshot(DiscordState State, string Detail);
}

public enum DiscordState
{
    Starting,
    Ready,
    Reconnecting,
    Failed,
}
