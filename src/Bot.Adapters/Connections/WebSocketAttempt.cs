namespace Bot.Adapters.Connections;

/// <summary>One connection of a <see cref="ReconnectingWebSocket"/>, as its protocol sees it while running it.</summary>
public sealed class WebSocketAttempt : IDisposable
{
    private readonly ReconnectingWebSocket _owner;
    private readonly TaskCompletionSource<ConnectionOutcome> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _replacement = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _retired = new();

    internal WebSocketAttempt(ReconnectingWebSocket owner, WebSocketAttempt? replaces)
    {
        _owner = owner;
        Replaces = replaces;
    }

    /// <summary>The attempt whose connection this one takes over once ready, or null.</summary>
    public WebSocketAttempt? Replaces { get; }

    /// <summary>This attempt's connection, once <see cref="CreateConnection"/> made it.</summary>
    public WebSocketConnection? Connection { get; private set; }

    /// <summary>
    /// Fires when the loop no longer needs this connection: one replacing it is ready, the replacement failed, or the
    /// loop stopped for good. The protocol lets what is under way finish, closes the connection and returns.
    /// </summary>
    public CancellationToken Retired => _retired.Token;

    public bool IsReady => _ready.Task.IsCompleted;

    internal Task<ConnectionOutcome> Ended => _ended.Task;

    internal Task BecameReady => _ready.Task;

    internal Task ReplacementRequested => _replacement.Task;

    internal Task Run { get; set; } = Task.CompletedTask;

    /// <summary>This attempt's one connection, with the loop's timeouts, not yet connected; the loop disposes it after the run.</summary>
    public WebSocketConnection CreateConnection()
    {
        if (Connection is not null)
        {
            throw new InvalidOperationException("An attempt has one connection.");
        }

        Connection = _owner.CreateConnection();
        return Connection;
    }

    /// <summary>Work can flow: the status turns Ready with <paramref name="detail"/>, and a connection this one replaces is retired.</summary>
    public void Ready(string detail)
    {
        // A retired connection's late hello must not report a status the loop has moved past.
        if (!_retired.IsCancellationRequested && _ready.TrySetResult())
        {
            _owner.OnReady(this, detail);
        }
    }

    /// <summary>Not connected yet because something must be waited out (a rate limit): the status, still Starting, says what.</summary>
    public void Waiting(string detail) => _owner.OnWaiting(detail);

    /// <summary>Asks for another connection to take over from this one, which goes on running until it is <see cref="Retired"/>.</summary>
    public void RequestReplacement() => _replacement.TrySetResult();

    /// <summary>
    /// Says how the connection ended before the run returns, so the loop moves on while the protocol finishes closing
    /// (acknowledging what arrived on it). Only the first outcome counts, this or the one the run returns, except that a
    /// fatal one always stops the loop, from any connection and at any time: reconnecting cannot help.
    /// </summary>
    public void End(ConnectionOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _ended.TrySetResult(outcome);
        if (outcome.Next == ConnectionNext.Fatal)
        {
            _owner.OnFatal(outcome);
        }
    }

    /// <summary>Called by the loop once the run has returned.</summary>
    public void Dispose() => _retired.Dispose();

    internal void Retire()
    {
        try
        {
            _retired.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run has already ended.
        }
    }
}
