namespace Bot.Slack;

/// <summary>Whether the Slack adapter can take work; read by <c>/readyz</c>.</summary>
public sealed class SlackStatus
{
    private volatile Snapshot _current = new(SlackState.Starting, "starting");

    public Snapshot Current => _current;

    public void Starting(string detail) => _current = new(SlackState.Starting, detail);

    public void Ready(string detail) => _current = new(SlackState.Ready, detail);

    /// <summary>Lost, and trying again on its own.</summary>
    public void Reconnecting(string detail) => _current = new(SlackState.Reconnecting, detail);

    /// <summary>Stopped for good until an operator fixes <paramref name="detail"/> (a revoked token, Socket Mode turned off).</summary>
    public void Failed(string detail) => _current = new(SlackState.Failed, detail);

    public sealed record Snapshot(SlackState State, string Detail);
}

public enum SlackState
{
    Starting,
    Ready,
    Reconnecting,
    Failed,
}
