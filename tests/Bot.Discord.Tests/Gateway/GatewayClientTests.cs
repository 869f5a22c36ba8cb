using Bot.Adapters.Connections;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Gateway;

public sealed class GatewayClientTests
{
    private const int ClientReconnectCloseCode = 4000;

    /// <summary>What the fake announces; no other timer of the client has this due time.</summary>
    private static readonly TimeSpan HeartbeatInterval = GatewayHarness.HeartbeatInterval;

    [Fact]
    public async Task StartAsync_ValidToken_IdentifiesWithIntentsZeroAndBecomesReady()
    {
        await using var harness = await GatewayHarness.CreateAsync();

        await harness.StartAndWaitForSessionAsync();

        Assert.Equal(ConnectionState.Ready, harness.Status.Current.State);
        Assert.Contains(harness.Fake.SessionId!, harness.Status.Current.Detail, StringComparison.Ordinal);
        Assert.Equal(["?v=10&encoding=json"], harness.Fake.ConnectQueries);
        var identify = Assert.Single(harness.Fake.Received, payload => payload["op"]!.GetValue<int>() == 2);
        var data = identify["d"]!.AsObject();
        Assert.Equal(GatewayHarness.Token, data["token"]!.GetValue<string>());
        Assert.Equal(0, data["intents"]!.GetValue<int>());
        Assert.Equal("linux", data["properties"]!["os"]!.GetValue<string>());
        Assert.Equal("tutor-bot", data["properties"]!["browser"]!.GetValue<string>());
        Assert.Equal("tutor-bot", data["properties"]!["device"]!.GetValue<string>());
        Assert.False(data.ContainsKey("shard"));
        Assert.Equal("READY", harness.Handler.Events[0]);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task StartAsync_ShardConfigured_IdentifiesWithShardPair()
    {
        await using var harness = await GatewayHarness.CreateAsync(configure: options =>
        {
            options.ShardId = 1;
            options.ShardCount = 2;
        });

        await harness.StartAndWaitForSessionAsync();

        var identify = Assert.Single(harness.Fake.Received, payload => payload["op"]!.GetValue<int>() == 2);
        Assert.Equal("[1,2]", identify["d"]!["shard"]!.ToJsonString());
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Heartbeats_SeveralIntervals_CarryLastSequenceAndAreAcknowledged()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await GatewayHarness.CreateAsync(time: time);
        await harness.StartAndWaitForSessionAsync();

        for (var beat = 1; beat <= 5; beat++)
        {
            // The fake sent its ACK of the previous beat before this event, so once the event is handled the ACK has been
            // read, and this beat goes out only if the client took it (otherwise it would close a zombie connection).
            var sequence = await harness.DispatchNumberedAsync(beat - 1);
            await harness.WaitForNumbersAsync(beat);
            await AdvanceToHeartbeatAsync(harness, time, beat);
            await harness.Fake.WaitForAsync(fake => fake.Heartbeats == beat, GatewayHarness.Timeout);

            var last = harness.Fake.Received.Last(payload => payload["op"]!.GetValue<int>() == 1);
            Assert.Equal(sequence, last["d"]!.GetValue<int>());
        }

        Assert.Equal(1, harness.Fake.Connections);
        Assert.Equal(ConnectionState.Ready, harness.Status.Current.State);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task RequestHeartbeat_ServerAsks_ClientHeartbeatsAtOnce()
    {
        // The clock never moves, so no scheduled heartbeat is due: the one that follows the request is the answer.
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();
        Assert.Equal(0, harness.Fake.Heartbeats);

        await harness.Fake.RequestHeartbeatAsync();
        await harness.Fake.WaitForAsync(fake => fake.Heartbeats == 1, GatewayHarness.Timeout);

        // The fake records a Problem when the answer to a requested heartbeat comes later than Discord allows.
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Dispatch_ManyEvents_ReachHandlerInOrder()
    {
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();

        for (var number = 0; number < 50; number++)
        {
            await harness.DispatchNumberedAsync(number);
        }

        await harness.WaitForNumbersAsync(50);
        Assert.Equal(Enumerable.Range(0, 50), harness.Handler.Numbers);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Abort_EventsMissedWhileDown_ResumesOnResumeUrlAndReplaysThemOnce()
    {
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();
        for (var number = 0; number < 5; number++)
        {
            await harness.DispatchNumberedAsync(number);
        }

        await harness.WaitForNumbersAsync(5);
        var lastSeen = harness.Fake.LastSequence;

        harness.Fake.Abort();
        for (var number = 5; number < 10; number++)
        {
            await harness.DispatchNumberedAsync(number);
        }

        await harness.Fake.WaitForAsync(fake => fake.Resumes == 1 && fake.IsLive, GatewayHarness.Timeout);
        await harness.WaitForNumbersAsync(10);

        Assert.Equal(Enumerable.Range(0, 10), harness.Handler.Numbers);
        var resume = Assert.Single(harness.Fake.Received, payload => payload["op"]!.GetValue<int>() == 6);
        Assert.Equal(lastSeen, resume["d"]!["seq"]!.GetValue<int>());
        Assert.Equal(harness.Fake.SessionId, resume["d"]!["session_id"]!.GetValue<string>());
        Assert.Equal(GatewayHarness.Token, resume["d"]!["token"]!.GetValue<string>());
        Assert.Equal(1, harness.Fake.Identifies);
        Assert.All(harness.Fake.ConnectQueries, query => Assert.Equal("?v=10&encoding=json", query));
        Assert.Contains("RESUMED", harness.Handler.Events);
        await harness.WaitUntilAsync(() => harness.Status.Current.State == ConnectionState.Ready, "status Ready");
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Reconnect_Op7_ClosesKeepingSessionAndResumes()
    {
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();

        await harness.Fake.SendReconnectAsync();
        await harness.Fake.WaitForAsync(fake => fake.Resumes == 1 && fake.IsLive, GatewayHarness.Timeout);
        await harness.DispatchNumberedAsync(0);
        await harness.WaitForNumbersAsync(1);

        Assert.Equal([ClientReconnectCloseCode], harness.Fake.ClientCloseCodes);
        Assert.Equal(1, harness.Fake.Identifies);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task InvalidSession_NotResumable_WaitsThenIdentifiesNewSession()
    {
        // Both waits run on the fake clock: the random 1-5 s (here 100-150 ms) Discord asks for after op 9, then identify
        // spacing (max_concurrency 1: 5 s since the last Identify), which the fake checks on the same clock.
        var time = new RecordingTimeProvider();
        await using var harness = await GatewayHarness.CreateAsync(time: time);
        await harness.StartAndWaitForSessionAsync();
        var firstSession = harness.Fake.SessionId;
        var timersBeforeInvalidation = time.DueTimes.Count;

        await harness.Fake.SendInvalidSessionAsync(resumable: false);
        var invalidSessionWait = await time.WaitForTimerAsync(
            timersBeforeInvalidation,
            due => due >= harness.Client.InvalidSessionDelayMin && due <= harness.Client.InvalidSessionDelayMax,
            "the wait after Invalid Session");
        time.Advance(invalidSessionWait - TimeSpan.FromTicks(1));

        // The wait is not over, so nothing can have moved the client on.
        Assert.Equal(1, harness.Fake.Connections);

        var timersBeforeSpacing = time.DueTimes.Count;
        time.Advance(TimeSpan.FromTicks(1));
        var identifySpacingLeft = await time.WaitForTimerAsync(
            timersBeforeSpacing, due => due > TimeSpan.Zero && due <= TimeSpan.FromSeconds(5), "the identify spacing");
        Assert.Equal(TimeSpan.FromSeconds(5), invalidSessionWait + identifySpacingLeft);
        time.Advance(identifySpacingLeft - TimeSpan.FromTicks(1));
        Assert.Equal(1, harness.Fake.Connections);

        time.Advance(TimeSpan.FromTicks(1));
        await harness.Fake.WaitForAsync(fake => fake.Identifies == 2 && fake.IsLive, GatewayHarness.Timeout);
        await harness.DispatchNumberedAsync(0);
        await harness.WaitForNumbersAsync(1);

        Assert.Equal(2, harness.Fake.Connections);
        Assert.NotEqual(firstSession, harness.Fake.SessionId);
        Assert.Equal(0, harness.Fake.Resumes);
        Assert.All(harness.Fake.ConnectQueries, query => Assert.Equal("?v=10&encoding=json", query));
        harness.AssertHealthy();
    }

    [Fact]
    public async Task InvalidSession_Resumable_Resumes()
    {
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();
        var session = harness.Fake.SessionId;

        await harness.Fake.SendInvalidSessionAsync(resumable: true);
        await harness.Fake.WaitForAsync(fake => fake.Resumes == 1 && fake.IsLive, GatewayHarness.Timeout);

        Assert.Equal(session, harness.Fake.SessionId);
        Assert.Equal(1, harness.Fake.Identifies);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Heartbeats_NotAcknowledged_ClientClosesZombieAndResumes()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await GatewayHarness.CreateAsync(time: time);
        await harness.StartAndWaitForSessionAsync();
        await harness.DispatchNumberedAsync(0);

        harness.Fake.AcknowledgeHeartbeats = false;
        await AdvanceToHeartbeatAsync(harness, time, beat: 1);
        await harness.Fake.WaitForAsync(fake => fake.Heartbeats == 1, GatewayHarness.Timeout);
        await WaitForHeartbeatWaitAsync(harness, time, beat: 2);

        // Unanswered for less than an interval is not yet a zombie: the client judges when its next beat is due.
        Assert.Empty(harness.Fake.ClientCloseCodes);

        time.Advance(HeartbeatInterval);
        await harness.Fake.WaitForAsync(fake => fake.ClientCloseCodes.Count == 1, GatewayHarness.Timeout);
        harness.Fake.AcknowledgeHeartbeats = true;
        await harness.DispatchNumberedAsync(1);
        await harness.Fake.WaitForAsync(fake => fake.Resumes == 1 && fake.IsLive, GatewayHarness.Timeout);
        await harness.WaitForNumbersAsync(2);

        Assert.Equal([ClientReconnectCloseCode], harness.Fake.ClientCloseCodes);
        // It closed instead of beating again over the dead connection.
        Assert.Equal(1, harness.Fake.Heartbeats);
        Assert.Equal([0, 1], harness.Handler.Numbers);
        Assert.Equal(1, harness.Fake.Identifies);
        Assert.Contains(harness.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("heartbeat ACK", StringComparison.Ordinal));
        harness.AssertHealthy();
    }

    [Theory]
    [InlineData(4000)]
    [InlineData(4008)]
    public async Task ServerClose_ResumableCode_Resumes(int closeCode)
    {
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();

        await harness.Fake.CloseAsync(closeCode);
        await harness.Fake.WaitForAsync(fake => fake.Resumes == 1 && fake.IsLive, GatewayHarness.Timeout);

        Assert.Equal(1, harness.Fake.Identifies);
        harness.AssertHealthy();
    }

    [Theory]
    [InlineData(4007)]
    [InlineData(4009)]
    public async Task ServerClose_SessionEndingCode_IdentifiesNewSessionOnceTheIdentifyWindowHasPassed(int closeCode)
    {
        var time = new RecordingTimeProvider();
        await using var harness = await GatewayHarness.CreateAsync(time: time);
        await harness.StartAndWaitForSessionAsync();

        await harness.Fake.CloseAsync(closeCode);
        // Reconnected at once, but the new Identify waits for max_concurrency 1's 5 s; the fake checks that on the same clock.
        var spacing = await time.WaitForTimerAsync(0, due => due == TimeSpan.FromSeconds(5), "the identify spacing");
        Assert.Equal(1, harness.Fake.Identifies);
        time.Advance(spacing);
        await harness.Fake.WaitForAsync(fake => fake.Identifies == 2 && fake.IsLive, GatewayHarness.Timeout);

        Assert.Equal(0, harness.Fake.Resumes);
        harness.AssertHealthy();
    }

    [Theory]
    [InlineData(4004, "Discord__BotToken")]
    [InlineData(4010, "Discord__ShardId")]
    [InlineData(4011, "Discord__ShardCount")]
    [InlineData(4012, "version")]
    [InlineData(4013, "intents")]
    [InlineData(4014, "Privileged Gateway Intents")]
    public async Task ServerClose_FatalCode_FailsOnceWithTheFix(int closeCode, string fix)
    {
        await using var harness = await GatewayHarness.CreateAsync();
        harness.Fake.CloseAfterIdentifyWith = closeCode;

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Status.Current.State == ConnectionState.Failed, "status Failed");
        // Its run has ended, so it can never connect again, rather than merely not yet.
        await harness.WaitForClientToEndAsync();

        var detail = harness.Status.Current.Detail;
        Assert.Contains(closeCode.ToString(System.Globalization.CultureInfo.InvariantCulture), detail, StringComparison.Ordinal);
        Assert.Contains(fix, detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Fake.Identifies);
        Assert.Equal(1, harness.Fake.Connections);
        Assert.Equal(ConnectionState.Failed, harness.Status.Current.State);
        Assert.Single(harness.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task StartAsync_WrongToken_FailsWith4004AndNeverLogsTheToken()
    {
        const string wrongToken = "not-the-right-token";
        await using var harness = await GatewayHarness.CreateAsync(token: wrongToken);

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Status.Current.State == ConnectionState.Failed, "status Failed");
        await harness.WaitForClientToEndAsync();

        Assert.StartsWith("Discord rejected the bot token (close 4004)", harness.Status.Current.Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Fake.Identifies);
        Assert.Equal(1, harness.Fake.Connections);
        Assert.DoesNotContain(harness.Logs.Entries, entry => entry.Message.Contains(wrongToken, StringComparison.Ordinal));
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task StopAsync_Connected_ClosesWith1000WithoutErrors()
    {
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();

        await harness.StopAsync();
        await harness.Fake.WaitForAsync(fake => fake.ClientCloseCodes.Count == 1, GatewayHarness.Timeout);

        Assert.Equal([1000], harness.Fake.ClientCloseCodes);
        Assert.False(harness.Fake.IsSessionResumable);
        Assert.DoesNotContain(harness.Logs.Entries, entry => entry.Level >= LogLevel.Warning);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task StartAsync_SessionStartLimitExhausted_WaitsForResetBeforeIdentifying()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await GatewayHarness.CreateAsync(time: time);
        harness.Urls.Enqueue(new SessionStartLimit(1000, 0, 400, 1));

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Status.Current.Detail.Contains("session start limit", StringComparison.Ordinal), "the wait to show");
        Assert.Equal(ConnectionState.Starting, harness.Status.Current.State);
        await time.WaitForTimerAsync(0, due => due == TimeSpan.FromMilliseconds(400), "the reset of the session start limit");
        time.Advance(TimeSpan.FromMilliseconds(400) - TimeSpan.FromTicks(1));

        // The reset is not due yet, so nothing can have moved the client on.
        Assert.Equal(0, harness.Fake.Connections);
        Assert.Equal(1, harness.Urls.Calls);

        time.Advance(TimeSpan.FromTicks(1));
        await harness.Fake.WaitForSessionAsync(GatewayHarness.Timeout);

        Assert.Equal(2, harness.Urls.Calls);
        Assert.Equal(1, harness.Fake.Identifies);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Soak_TwentyFourMixedDisconnectsDuringDispatches_DeliversEveryEventOnceInOrder()
    {
        var time = new RecordingTimeProvider();
        await using var harness = await GatewayHarness.CreateAsync(time: time);
        await harness.StartAndWaitForSessionAsync();
        using var stopDispatching = new CancellationTokenSource();
        var dispatched = 0;
        var dispatcher = Task.Run(async () =>
        {
            while (!stopDispatching.IsCancellationRequested)
            {
                await harness.DispatchNumberedAsync(dispatched);
                dispatched++;
                await Task.Delay(3);
            }
        });

        const int disconnects = 24;
        for (var round = 0; round < disconnects; round++)
        {
            var resumesBefore = harness.Fake.Resumes;
            await harness.WaitUntilAsync(() => harness.Fake.IsLive, "a live connection");
            switch (round % 4)
            {
                case 0:
                    harness.Fake.Abort();
                    break;
                case 1:
                    await harness.Fake.CloseAsync(4000);
                    break;
                case 2:
                    await harness.Fake.SendReconnectAsync();
                    break;
                default:
                    await CloseAsZombieAsync(harness, time);
                    break;
            }

            await harness.Fake.WaitForAsync(fake => fake.Resumes > resumesBefore && fake.IsLive, GatewayHarness.Timeout);
        }

        await stopDispatching.CancelAsync();
        await dispatcher;
        await harness.WaitForNumbersAsync(dispatched);

        Assert.True(dispatched > disconnects, $"only {dispatched} events dispatched");
        Assert.Equal(Enumerable.Range(0, dispatched), harness.Handler.Numbers);
        Assert.Equal(1, harness.Fake.Identifies);
        Assert.True(harness.Fake.Resumes >= disconnects);
        Assert.DoesNotContain(harness.Fake.ClientCloseCodes, code => code is 1000 or 1001);
        harness.AssertHealthy();
    }

    /// <summary>
    /// Withholds heartbeat ACKs and moves the clock one interval at a time until the client gives up the connection as a
    /// zombie: the connection's pending beat (its first, after a random part of an interval) goes unanswered, and the one
    /// after it finds no ACK. Each step waits for the client to wait, so the fake, on the same clock, never sees a beat late.
    /// </summary>
    private static async Task CloseAsZombieAsync(GatewayHarness harness, RecordingTimeProvider time)
    {
        var closesBefore = harness.Fake.ClientCloseCodes.Count;
        var heartbeatsBefore = harness.Fake.Heartbeats;
        var intervalWaitsBefore = time.DueTimes.Count(due => due == HeartbeatInterval);
        harness.Fake.AcknowledgeHeartbeats = false;

        time.Advance(HeartbeatInterval);
        await harness.Fake.WaitForAsync(fake => fake.Heartbeats > heartbeatsBefore, GatewayHarness.Timeout);
        await harness.WaitUntilAsync(
            () => time.DueTimes.Count(due => due == HeartbeatInterval) > intervalWaitsBefore, "the client to wait for its next beat");
        time.Advance(HeartbeatInterval);
        await harness.Fake.WaitForAsync(fake => fake.ClientCloseCodes.Count > closesBefore, GatewayHarness.Timeout);

        harness.Fake.AcknowledgeHeartbeats = true;
    }

    /// <summary>
    /// Waits until the client's heartbeat loop waits on the fake clock for beat <paramref name="beat"/>. The first beat
    /// waits a random part of an interval from Hello (set up before READY); each later one a whole interval from the
    /// previous beat.
    /// </summary>
    private static Task WaitForHeartbeatWaitAsync(GatewayHarness harness, RecordingTimeProvider time, int beat) =>
        beat == 1
            ? Task.CompletedTask
            : harness.WaitUntilAsync(() => time.DueTimes.Count(due => due == HeartbeatInterval) >= beat - 1, $"the client to wait for heartbeat {beat}");

    /// <summary>Moves the client's clock one interval once it waits for beat <paramref name="beat"/>, which makes that beat due.</summary>
    private static async Task AdvanceToHeartbeatAsync(GatewayHarness harness, RecordingTimeProvider time, int beat)
    {
        await WaitForHeartbeatWaitAsync(harness, time, beat);
        time.Advance(HeartbeatInterval);
    }
}
