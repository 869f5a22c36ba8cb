using System.Net.WebSockets;
using System.Text;
using Bot.Adapters.Connections;

namespace Bot.Adapters.Tests.Connections;

/// <summary>
/// The reconnect loop every platform shares, on a fake clock: a test moves time on and sees the next attempt start,
/// rather than waiting on the wall clock to show that nothing happened before.
/// </summary>
public sealed class ReconnectingWebSocketTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task RunAsync_InAHost_FirstConnectsOnceEveryServiceHasStarted()
    {
        using var lifetime = new TestLifetime();
        var protocol = new ScriptedProtocol().Then(ScriptedProtocol.ServeUntilStoppedAsync);
        await using var run = LoopRun.Start(protocol, lifetime: lifetime);

        Assert.Equal(ConnectionState.Starting, run.Status.Current.State);

        lifetime.Started();

        await run.WaitForAttemptsAsync(1);
    }

    [Fact]
    public async Task RunAsync_HostStopsBeforeItStarted_NeverConnects()
    {
        using var lifetime = new TestLifetime();
        var protocol = new ScriptedProtocol().Then(ScriptedProtocol.ServeUntilStoppedAsync);
        var run = LoopRun.Start(protocol, lifetime: lifetime);

        await run.StopAsync();
        await run.DisposeAsync();

        Assert.Empty(protocol.Attempts);
        Assert.Equal(1, protocol.Stops);
    }

    [Fact]
    public async Task RunAsync_AttemptsKeepFailing_BackoffDoublesWithJitterUpToTheCap()
    {
        var options = new ReconnectOptions { BackoffBase = TimeSpan.FromSeconds(1), BackoffMax = TimeSpan.FromSeconds(8) };
        await using var run = LoopRun.Start(new ScriptedProtocol(), options);

        var delays = new List<TimeSpan>();
        for (var failures = 1; failures <= 7; failures++)
        {
            await run.WaitForReconnectsAsync(failures);
            var reconnect = run.Protocol.Reconnects[failures - 1];
            Assert.Equal(failures, reconnect.Failures);
            var cap = TimeSpan.FromSeconds(Math.Min(8, Math.Pow(2, failures - 1)));
            Assert.InRange(reconnect.Delay, cap / 2, cap);
            delays.Add(reconnect.Delay);

            var due = await run.Time.WaitForTimerAsync(reconnect.Delay);
            run.Time.Advance(due - Tick);
            Assert.Equal(failures, run.Protocol.Attempts.Count);
            run.Time.Advance(Tick);
            await run.WaitForAttemptsAsync(failures + 1);
        }

        // Jittered: clients that lost the platform together do not come back together.
        Assert.Equal(delays.Count, delays.Distinct().Count());
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task RunAsync_ConnectionThatWasReadyIsLost_BackoffStartsOver(bool backOffAfterReady, int failuresAfterReady)
    {
        var protocol = new ScriptedProtocol()
            .Then(ConnectionOutcome.Reconnect("refused"))
            .Then(ConnectionOutcome.Reconnect("refused"))
            .Then((attempt, _) =>
            {
                attempt.Ready("up");
                return Task.FromResult(ConnectionOutcome.Resume("dropped"));
            });
        await using var run = LoopRun.Start(protocol, new ReconnectOptions { BackOffAfterReady = backOffAfterReady });

        for (var failed = 1; failed <= 2; failed++)
        {
            await run.WaitForReconnectsAsync(failed);
            var delay = protocol.Reconnects[failed - 1].Delay;
            run.Time.Advance(await run.Time.WaitForTimerAsync(delay));
        }

        await run.WaitForReconnectsAsync(3);
        var afterReady = protocol.Reconnects[2];
        Assert.True(afterReady.Outcome.WasReady);
        Assert.Equal(ConnectionNext.Resume, afterReady.Outcome.Next);
        Assert.Equal(failuresAfterReady, afterReady.Failures);
        if (backOffAfterReady)
        {
            Assert.InRange(afterReady.Delay, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
            run.Time.Advance(await run.Time.WaitForTimerAsync(afterReady.Delay));
        }
        else
        {
            // Resumed at once: the next attempt needs no time to pass.
            Assert.Equal(TimeSpan.Zero, afterReady.Delay);
        }

        await run.WaitForReconnectsAsync(4);
        Assert.Equal(failuresAfterReady + 1, protocol.Reconnects[3].Failures);
    }

    [Fact]
    public async Task RunAsync_OutcomeWithMinimumDelay_WaitsAtLeastThatLong()
    {
        var protocol = new ScriptedProtocol().Then((attempt, _) =>
        {
            attempt.Ready("up");
            return Task.FromResult(ConnectionOutcome.Reconnect("invalid session") with { MinimumDelay = TimeSpan.FromSeconds(3) });
        });
        await using var run = LoopRun.Start(protocol);

        await run.WaitForReconnectsAsync(1);
        Assert.Equal(TimeSpan.FromSeconds(3), protocol.Reconnects[0].Delay);
        await run.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        run.Time.Advance(TimeSpan.FromSeconds(3) - Tick);
        Assert.Single(protocol.Attempts);
        run.Time.Advance(Tick);
        await run.WaitForAttemptsAsync(2);
    }

    [Fact]
    public async Task RunAsync_StatusFollowsTheConnection_StartingReadyReconnectingReadyFailed()
    {
        ConnectionStatus.Snapshot? atFirstAttempt = null;
        ConnectionStatus.Snapshot? atSecondAttempt = null;
        ConnectionStatus.Snapshot? whileWaiting = null;
        ConnectionStatus.Snapshot? whenReady = null;
        ConnectionStatus.Snapshot? whenReadyAgain = null;
        var status = new ConnectionStatus();
        var protocol = new ScriptedProtocol()
            .Then((attempt, _) =>
            {
                atFirstAttempt = status.Current;
                attempt.Ready("up");
                whenReady = status.Current;
                return Task.FromResult(ConnectionOutcome.Resume("lost it"));
            })
            .Then((attempt, _) =>
            {
                atSecondAttempt = status.Current;
                attempt.Waiting("waiting out a rate limit");
                whileWaiting = status.Current;
                attempt.Ready("up again");
                whenReadyAgain = status.Current;
                return Task.FromResult(ConnectionOutcome.Fatal("the token was rejected: set a new one", closeCode: 4004));
            });
        await using var run = LoopRun.Start(protocol, status: status);
        await run.Run.WaitAsync(Eventually.Timeout);

        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Starting, "connecting to the test server"), atFirstAttempt);
        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Ready, "up"), whenReady);
        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Reconnecting, "lost it"), atSecondAttempt);
        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Starting, "waiting out a rate limit"), whileWaiting);
        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Ready, "up again"), whenReadyAgain);
        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Failed, "the token was rejected: set a new one"), status.Current);
    }

    [Fact]
    public async Task RunAsync_Fatal_FailsOnceAndNeverTriesAgain()
    {
        var protocol = new ScriptedProtocol().Then((attempt, _) =>
        {
            attempt.Ready("up");
            return Task.FromResult(ConnectionOutcome.Fatal("the token was rejected: set a new one", closeCode: 4004));
        });
        await using var run = LoopRun.Start(protocol);

        // The run has ended, so it can never connect again, rather than merely not yet.
        await run.Run.WaitAsync(Eventually.Timeout);
        run.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(ConnectionState.Failed, run.Status.Current.State);
        var failure = Assert.Single(protocol.Failures);
        Assert.Equal(4004, failure.CloseCode);
        Assert.Single(protocol.Attempts);
        Assert.Empty(protocol.Reconnects);
        Assert.Equal(0, protocol.Stops);
    }

    [Fact]
    public async Task RunAsync_HostStopsDuringTheBackoff_EndsWithoutAnotherAttempt()
    {
        await using var run = LoopRun.Start(new ScriptedProtocol());
        await run.WaitForReconnectsAsync(1);
        await run.Time.WaitForTimerAsync(run.Protocol.Reconnects[0].Delay);

        await run.StopAsync();
        run.Time.Advance(TimeSpan.FromHours(1));

        Assert.Single(run.Protocol.Attempts);
        Assert.Equal(1, run.Protocol.Stops);
        Assert.Empty(run.Protocol.Failures);
    }

    [Fact]
    public async Task RunAsync_HostStopsWhileConnected_ReturnsOnlyOnceTheConnectionHasClosed()
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var protocol = new ScriptedProtocol().Then(async (attempt, stoppingToken) =>
        {
            attempt.Ready("up");
            await Task.Delay(Timeout.InfiniteTimeSpan, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            closing.SetResult();
            await closed.Task;
            return ConnectionOutcome.Stopped;
        });
        await using var run = LoopRun.Start(protocol);
        await Eventually.TrueAsync(() => run.Status.Current.State == ConnectionState.Ready, "Ready");

        var stopping = run.StopAsync();
        await closing.Task.WaitAsync(Eventually.Timeout);
        Assert.False(run.Run.IsCompleted);
        closed.SetResult();
        await stopping;

        Assert.Equal(1, protocol.Stops);
        Assert.Empty(protocol.Reconnects);
        Assert.Single(protocol.Attempts);
    }

    [Fact]
    public async Task RunAsync_ProtocolThrows_ReportsItAndResumesWithBackoff()
    {
        var protocol = new ScriptedProtocol().Then((_, _) => throw new InvalidOperationException("a bug"));
        await using var run = LoopRun.Start(protocol);

        await run.WaitForReconnectsAsync(1);

        Assert.Equal("a bug", Assert.Single(protocol.Unexpected).Message);
        var reconnect = protocol.Reconnects[0];
        Assert.Equal(ConnectionNext.Resume, reconnect.Outcome.Next);
        Assert.Equal("unexpected error: a bug", reconnect.Outcome.Detail);
        Assert.Equal(1, reconnect.Failures);
        run.Time.Advance(await run.Time.WaitForTimerAsync(reconnect.Delay));
        await run.WaitForAttemptsAsync(2);
    }

    [Fact]
    public async Task RequestReplacement_ReplacementBecomesReady_OldOneRetiredOnlyThenAndNoReconnect()
    {
        var oldRetiredBeforeNewWasReady = true;
        var oldRetired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var protocol = new ScriptedProtocol()
            .Then(async (attempt, _) =>
            {
                attempt.CreateConnection();
                attempt.Ready("first");
                attempt.RequestReplacement();
                await Task.Delay(Timeout.InfiniteTimeSpan, attempt.Retired).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                oldRetired.SetResult();
                return ConnectionOutcome.Reconnect("replaced");
            })
            .Then(async (attempt, stoppingToken) =>
            {
                var replaced = Assert.IsType<WebSocketAttempt>(attempt.Replaces);
                attempt.CreateConnection();
                oldRetiredBeforeNewWasReady = replaced.Retired.IsCancellationRequested;
                return await ScriptedProtocol.ServeUntilStoppedAsync(attempt, stoppingToken);
            });
        await using var run = LoopRun.Start(protocol);

        await oldRetired.Task.WaitAsync(Eventually.Timeout);
        await Eventually.TrueAsync(() => run.Status.Current.Detail == "serving", "the replacement serving");

        Assert.False(oldRetiredBeforeNewWasReady);
        Assert.Same(protocol.Attempts[1].Connection, run.Loop.Current);
        await run.StopAsync();
        // The old connection's end was no loss: nothing reconnected.
        Assert.Equal(2, protocol.Attempts.Count);
        Assert.Empty(protocol.Reconnects);
    }

    [Fact]
    public async Task RequestReplacement_ReplacementFails_OldOneRetiredAndTheLoopReconnects()
    {
        var oldRetired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var protocol = new ScriptedProtocol()
            .Then(async (attempt, _) =>
            {
                attempt.Ready("first");
                attempt.RequestReplacement();
                await Task.Delay(Timeout.InfiniteTimeSpan, attempt.Retired).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                oldRetired.SetResult();
                return ConnectionOutcome.Reconnect("replaced");
            })
            .Then(ConnectionOutcome.Reconnect("could not open a replacement"))
            .Then(ScriptedProtocol.ServeUntilStoppedAsync);
        await using var run = LoopRun.Start(protocol, new ReconnectOptions { BackOffAfterReady = true });

        await oldRetired.Task.WaitAsync(Eventually.Timeout);
        await run.WaitForReconnectsAsync(1);
        var reconnect = Assert.Single(protocol.Reconnects);
        Assert.Equal("could not open a replacement", reconnect.Outcome.Detail);
        // The connection being replaced had been ready: the count starts over.
        Assert.True(reconnect.Outcome.WasReady);
        Assert.Equal(1, reconnect.Failures);
        run.Time.Advance(await run.Time.WaitForTimerAsync(reconnect.Delay));
        await Eventually.TrueAsync(() => run.Status.Current.Detail == "serving", "a new connection serving");
        Assert.Null(protocol.Attempts[2].Replaces);
    }

    [Fact]
    public async Task End_FatalFromAConnectionAlreadyReplaced_StopsTheLoopAndRetiresTheLiveOne()
    {
        var liveRetired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var protocol = new ScriptedProtocol()
            .Then(async (attempt, _) =>
            {
                attempt.Ready("first");
                attempt.RequestReplacement();
                await Task.Delay(Timeout.InfiniteTimeSpan, attempt.Retired).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                // While it closes, the old connection hears that the feature was turned off.
                attempt.End(ConnectionOutcome.Fatal("turned off: turn it on again"));
                return ConnectionOutcome.Reconnect("replaced");
            })
            .Then(async (attempt, _) =>
            {
                attempt.Ready("second");
                await Task.Delay(Timeout.InfiniteTimeSpan, attempt.Retired).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                liveRetired.SetResult();
                return ConnectionOutcome.Reconnect("retired");
            });
        await using var run = LoopRun.Start(protocol);

        await run.Run.WaitAsync(Eventually.Timeout);

        Assert.True(liveRetired.Task.IsCompleted);
        Assert.Equal(new ConnectionStatus.Snapshot(ConnectionState.Failed, "turned off: turn it on again"), run.Status.Current);
        Assert.Single(protocol.Failures);
        Assert.Empty(protocol.Reconnects);
        Assert.Equal(2, protocol.Attempts.Count);
    }

    [Fact]
    public async Task End_BeforeTheRunReturns_LoopReconnectsWhileTheOldConnectionFinishesAndWaitsForItOnStop()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var nextStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var protocol = new ScriptedProtocol()
            .Then(async (attempt, _) =>
            {
                attempt.Ready("first");
                attempt.End(ConnectionOutcome.Reconnect("refused"));
                // Still acknowledging what arrived on it.
                await finished.Task;
                return ConnectionOutcome.Reconnect("this outcome comes too late to count");
            })
            .Then(async (attempt, stoppingToken) =>
            {
                var outcome = await ScriptedProtocol.ServeUntilStoppedAsync(attempt, stoppingToken);
                nextStopped.SetResult();
                return outcome;
            });
        await using var run = LoopRun.Start(protocol, new ReconnectOptions { BackOffAfterReady = false });

        await Eventually.TrueAsync(() => run.Status.Current.Detail == "serving", "the next connection serving");
        Assert.Equal("refused", Assert.Single(protocol.Reconnects).Outcome.Detail);

        var stopping = run.StopAsync();
        await nextStopped.Task.WaitAsync(Eventually.Timeout);
        Assert.False(run.Run.IsCompleted);
        finished.SetResult();
        await stopping;
        Assert.Equal(1, protocol.Stops);
    }

    [Fact]
    public async Task RunAsync_LoopbackServerDropsTheConnection_ReconnectsOnTheFakeClockAndClosesWith1000OnStop()
    {
        await using var server = await LoopbackWebSocketServer.StartAsync();
        var closeStatus = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handle = async (socket, number) =>
        {
            await socket.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var buffer = new byte[64];
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (number == 1)
            {
                // Only once the client has read hello, or the reset could discard it unread.
                socket.Abort();
                return;
            }

            result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            closeStatus.TrySetResult(result.MessageType == WebSocketMessageType.Close ? socket.CloseStatus : null);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        };
        var protocol = new ScriptedProtocol { Otherwise = (attempt, stoppingToken) => HelloProtocolAsync(attempt, server.Url, stoppingToken) };
        await using var run = LoopRun.Start(protocol, new ReconnectOptions { BackOffAfterReady = true });

        await run.WaitForReconnectsAsync(1);
        var reconnect = protocol.Reconnects[0];
        Assert.Equal("dropped", reconnect.Outcome.Detail);
        Assert.True(reconnect.Outcome.WasReady);
        var due = await run.Time.WaitForTimerAsync(reconnect.Delay);
        Assert.Equal(1, server.Connections);
        run.Time.Advance(due);
        await Eventually.TrueAsync(() => server.Connections == 2 && run.Status.Current.State == ConnectionState.Ready, "the second connection ready");

        await run.StopAsync();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await closeStatus.Task.WaitAsync(Eventually.Timeout));
        Assert.Equal(1, protocol.Stops);
        Assert.Single(protocol.Reconnects);
    }

    /// <summary>Connects, is ready on the server's hello (and says so), and on stop closes with 1000 and reads until the reply.</summary>
    private static async Task<ConnectionOutcome> HelloProtocolAsync(WebSocketAttempt attempt, Uri url, CancellationToken stoppingToken)
    {
        var connection = attempt.CreateConnection();
        await connection.ConnectAsync(url, stoppingToken);
        using var stop = stoppingToken.Register(() => _ = CloseAsync(connection));
        try
        {
            while (true)
            {
                var message = await connection.ReceiveAsync();
                if (message.IsClose)
                {
                    break;
                }

                if (Encoding.UTF8.GetString(message.Payload.Span) == "hello")
                {
                    attempt.Ready("hello received");
                    await connection.SendAsync("ready"u8.ToArray());
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Dropped, or torn down after the close timeout.
        }

        return stoppingToken.IsCancellationRequested ? ConnectionOutcome.Stopped : ConnectionOutcome.Reconnect("dropped");

        static async Task CloseAsync(WebSocketConnection connection)
        {
            await connection.CloseOutputAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down", TimeSpan.FromSeconds(2));
            connection.AbortAfter(TimeSpan.FromSeconds(2));
        }
    }
}
