using Bot.Core;
using Microsoft.Extensions.Hosting;

namespace Bot.Adapters.Connections;

/// <summary>
/// The reconnecting WebSocket client under every platform's protocol. It runs the protocol on one connection; when that
/// ends it reconnects after a jittered exponential backoff (a connection that became ready starts the count over), keeps
/// the platform's <see cref="ConnectionStatus"/> current, stops for good on a fatal outcome, and on shutdown returns only
/// once every connection has closed. A protocol may ask for its connection to be replaced: the next one is opened first
/// and the old one retired only once the new one is ready, so nothing that arrives meanwhile is lost.
/// </summary>
public sealed class ReconnectingWebSocket
{
    private readonly IWebSocketProtocol _protocol;
    private readonly Platform _platform;
    private readonly ConnectionStatus _status;
    private readonly ReconnectOptions _options;
    private readonly TimeProvider _time;
    private readonly BotMetrics? _metrics;
    private readonly IHostApplicationLifetime? _lifetime;
    private readonly HashSet<WebSocketAttempt> _running = [];
    private readonly TaskCompletionSource<ConnectionOutcome> _fatal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile WebSocketAttempt? _live;
    private int _connections;

    public ReconnectingWebSocket(
        IWebSocketProtocol protocol,
        Platform platform,
        ConnectionStatus status,
        ReconnectOptions options,
        TimeProvider time,
        BotMetrics? metrics = null,
        IHostApplicationLifetime? lifetime = null)
    {
        _protocol = protocol;
        _platform = platform;
        _status = status;
        _options = options;
        _time = time;
        _metrics = metrics;
        _lifetime = lifetime;
    }

    /// <summary>The connection work flows on (the one that became ready last), or null while there is none.</summary>
    public WebSocketConnection? Current => _live?.Connection;

    /// <summary>
    /// Connects and reconnects until <paramref name="stoppingToken"/> stops it or the protocol says
    /// <see cref="ConnectionNext.Fatal"/>, and returns once every connection has closed.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        _status.Starting($"connecting to {_protocol.Name}");
        try
        {
            await HostStartedAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _protocol.OnStopped();
            return;
        }

        var failures = 0;
        try
        {
            while (true)
            {
                var outcome = await ServeAsync(stoppingToken).ConfigureAwait(false);
                _live = null;
                if (outcome.Next == ConnectionNext.Stop || stoppingToken.IsCancellationRequested)
                {
                    break;
                }

                if (outcome.Next == ConnectionNext.Fatal)
                {
                    _protocol.OnFailed(outcome);
                    _status.Failed(outcome.Detail);
                    return;
                }

                failures = !outcome.WasReady ? failures + 1 : _options.BackOffAfterReady ? 1 : 0;
                var delay = failures == 0 ? TimeSpan.Zero : _options.Backoff(failures);
                if (outcome.MinimumDelay > delay)
                {
                    delay = outcome.MinimumDelay;
                }

                _status.Reconnecting(outcome.Detail);
                _metrics?.Reconnected(_platform);
                _protocol.OnReconnecting(outcome, failures, delay);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; every connection closes on the same token.
        }
        finally
        {
            _live = null;
            await StopAllAsync().ConfigureAwait(false);
        }

        _protocol.OnStopped();
    }

    /// <summary>
    /// Within a host, the first connection waits until every service has started: a start that still fails
    /// (an invalid course, found while the other services start) must not reach the platform, where Discord
    /// counts session starts per day and resets the token of a bot that uses them all, as a container
    /// restarting in a loop would.
    /// </summary>
    private async Task HostStartedAsync(CancellationToken stoppingToken)
    {
        if (_lifetime is null || _lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Serves a connection, and whatever replaces it at the protocol's request, until one ends without a replacement.</summary>
    private async Task<ConnectionOutcome> ServeAsync(CancellationToken stoppingToken)
    {
        if (_fatal.Task.IsCompleted)
        {
            return await _fatal.Task.ConfigureAwait(false);
        }

        var live = Start(replaces: null, stoppingToken);
        while (true)
        {
            await Task.WhenAny(live.Ended, live.ReplacementRequested, _fatal.Task).ConfigureAwait(false);
            if (_fatal.Task.IsCompleted)
            {
                return await _fatal.Task.ConfigureAwait(false);
            }

            if (live.Ended.IsCompleted)
            {
                return await live.Ended.ConfigureAwait(false) with { WasReady = live.IsReady };
            }

            var next = Start(replaces: live, stoppingToken);
            await Task.WhenAny(next.BecameReady, next.Ended, _fatal.Task).ConfigureAwait(false);
            if (!_fatal.Task.IsCompleted && next.IsReady)
            {
                live.Retire();
                live = next;
                continue;
            }

            // The refresh failed: the old connection goes too, and the loop reconnects as after losing it.
            live.Retire();
            return _fatal.Task.IsCompleted
                ? await _fatal.Task.ConfigureAwait(false)
                : await next.Ended.ConfigureAwait(false) with { WasReady = true };
        }
    }

    private WebSocketAttempt Start(WebSocketAttempt? replaces, CancellationToken stoppingToken)
    {
        var attempt = new WebSocketAttempt(this, replaces);
        lock (_running)
        {
            _running.Add(attempt);
        }

        attempt.Run = RunAttemptAsync(attempt, stoppingToken);
        return attempt;
    }

    private async Task RunAttemptAsync(WebSocketAttempt attempt, CancellationToken stoppingToken)
    {
        // Off the loop's stack: a protocol may do a lot before its first await.
        await Task.Yield();
        ConnectionOutcome outcome;
        try
        {
            outcome = await _protocol.RunAsync(attempt, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            outcome = ConnectionOutcome.Stopped;
        }
        catch (Exception exception)
        {
            // A surprise must not end the host's only link to the platform; reconnect with backoff instead.
            _protocol.OnUnexpected(exception);
            outcome = ConnectionOutcome.Resume($"unexpected error: {exception.Message}");
        }
        finally
        {
            if (attempt.Connection is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            lock (_running)
            {
                _running.Remove(attempt);
            }

            attempt.Dispose();
        }

        attempt.End(outcome);
    }

    /// <summary>Retires every connection still running (after a fatal outcome, a replacement may be) and waits for each to close.</summary>
    private async Task StopAllAsync()
    {
        WebSocketAttempt[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        foreach (var attempt in running)
        {
            attempt.Retire();
        }

        await Task.WhenAll(running.Select(attempt => attempt.Run)).ConfigureAwait(false);
    }

    internal WebSocketConnection CreateConnection() =>
        new(Interlocked.Increment(ref _connections), _options, _time);

    internal void OnReady(WebSocketAttempt attempt, string detail)
    {
        _live = attempt;
        _status.Ready(detail);
    }

    internal void OnWaiting(string detail) => _status.Starting(detail);

    internal void OnFatal(ConnectionOutcome outcome) => _fatal.TrySetResult(outcome);
}
