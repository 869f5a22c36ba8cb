using System.Diagnostics;
using System.Text.Json.Nodes;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Gateway;

public sealed class GatewayClientTests
{
    private const int ClientReconnectCloseCode = 4000;

    [Fact]
    public async Task StartAsync_ValidToken_IdentifiesWithIntentsZeroAndBecomesReady()
    {
        await using var harness = await GatewayHarness.CreateAsync();

        await harness.StartAndWaitForSessionAsync();

        Assert.Equal(DiscordState.Ready, harness.Status.Current.State);
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
        await using var harness = await GatewayHarness.CreateAsync();
        await harness.StartAndWaitForSessionAsync();
        var sequence = await harness.DispatchNumberedAsync(0);
        await harness.WaitForNumbersAsync(1);

        await harness.Fake.WaitForAsync(fake => fake.Heartbeats >= 5, GatewayHarness.Timeout);

        Assert.Equal(1, harness.Fake.Connections);
        var last = harness.Fake.Received.Last(payload => payload["op"]!.GetValue<int>() == 1);
        Assert.Equal(sequence, last["d"]!.GetValue<int>());
        Assert.Equal(DiscordState.Ready, harness.Status.Current.State);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task RequestHeartbeat_ServerAsks_ClientHeartbeatsAtOnce()
    {
        // A long interval, so the heartbeat that follows the request is the answer, not a scheduled one.
        await using var harness = await GatewayHarness.CreateAsync(
            new FakeGatewayOptions { ExpectedToken = GatewayHarness.Token, HeartbeatIntervalMs = 20_000 });
        await harness.StartAndWaitForSessionAsync();
        var before = harness.Fake.Heartbeats;

        await harness.Fake.RequestHeartbeatAsync();
        await harness.Fake.WaitForAsync(fake => fake.Heartbeats > before, GatewayHarness.Timeout);

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
        await harness.WaitUntilAsync(() => harness.Status.Current.State == DiscordState.Ready, "status Ready");
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
        await using var harness = await GatewayHarness.CreateAsync(
            GatewayHarness.ShortIdentifyWindow, maxConcurrency: GatewayHarness.ShortIdentifyWindowConcurrency);
        await harness.StartAndWaitForSessionAsync();
        var firstSession = harness.Fake.SessionId;
        var invalidated = Stopwatch.GetTimestamp();

        await harness.Fake.SendInvalidSessionAsync(resumable: false);
        await harness.Fake.WaitForAsync(fake => fake.Identifies == 2 && fake.IsLive, GatewayHarness.Timeout);
        var elapsed = Stopwatch.GetElapsedTime(invalidated);
        await harness.DispatchNumberedAsync(0);
        await harness.WaitForNumbersAsync(1);

        Assert.True(elapsed >= harness.Client.InvalidSessionDelayMin, $"identified again after {elapsed}");
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
        await using var harness = await GatewayHarness.CreateAsync(GatewayHarness.ZombieTolerant);
        await harness.StartAndWaitForSessionAsync();
        await harness.DispatchNumberedAsync(0);

        harness.Fake.AcknowledgeHeartbeats = false;
        await harness.Fake.WaitForAsync(fake => fake.ClientCloseCodes.Count == 1, GatewayHarness.Timeout);
        harness.Fake.AcknowledgeHeartbeats = true;
        await harness.DispatchNumberedAsync(1);
        await harness.Fake.WaitForAsync(fake => fake.Resumes == 1 && fake.IsLive, GatewayHarness.Timeout);
        await harness.WaitForNumbersAsync(2);

        Assert.Equal([ClientReconnectCloseCode], harness.Fake.ClientCloseCodes);
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
    public async Task ServerClose_SessionEndingCode_IdentifiesNewSession(int closeCode)
    {
        await using var harness = await GatewayHarness.CreateAsync(
            GatewayHarness.ShortIdentifyWindow, maxConcurrency: GatewayHarness.ShortIdentifyWindowConcurrency);
        await harness.StartAndWaitForSessionAsync();

        await harness.Fake.CloseAsync(closeCode);
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
        await harness.WaitUntilAsync(() => harness.Status.Current.State == DiscordState.Failed, "status Failed");
        // Longer than the test backoff: a reconnect loop would have connected again by now.
        await Task.Delay(400);

        var detail = harness.Status.Current.Detail;
        Assert.Contains(closeCode.ToString(System.Globalization.CultureInfo.InvariantCulture), detail, StringComparison.Ordinal);
        Assert.Contains(fix, detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Fake.Identifies);
        Assert.Equal(1, harness.Fake.Connections);
        Assert.Equal(DiscordState.Failed, harness.Status.Current.State);
        Assert.Single(harness.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task StartAsync_WrongToken_FailsWith4004AndNeverLogsTheToken()
    {
        const string wrongToken = "not-the-right-token";
        await using var harness = await GatewayHarness.CreateAsync(token: wrongToken);

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Status.Current.State == DiscordState.Failed, "status Failed");
        await Task.Delay(400);

        Assert.StartsWith("Discord rejected the bot token (close 4004)", harness.Status.Current.Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Fake.Identifies);
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
        await using var harness = await GatewayHarness.CreateAsync();
        harness.Urls.Enqueue(new SessionStartLimit(1000, 0, 400, 1));
        var started = Stopwatch.GetTimestamp();

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Status.Current.Detail.Contains("session start limit", StringComparison.Ordinal), "the wait to show");
        Assert.Equal(DiscordState.Starting, harness.Status.Current.State);
        Assert.Equal(0, harness.Fake.Connections);
        await harness.Fake.WaitForSessionAsync(GatewayHarness.Timeout);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(400));
        Assert.Equal(2, harness.Urls.Calls);
        Assert.Equal(1, harness.Fake.Identifies);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Soak_TwentyFourMixedDisconnectsDuringDispatches_DeliversEveryEventOnceInOrder()
    {
        await using var harness = await GatewayHarness.CreateAsync(GatewayHarness.ZombieTolerant);
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
                    var closesBefore = harness.Fake.ClientCloseCodes.Count;
                    harness.Fake.AcknowledgeHeartbeats = false;
                    await harness.Fake.WaitForAsync(fake => fake.ClientCloseCodes.Count > closesBefore, GatewayHarness.Timeout);
                    harness.Fake.AcknowledgeHeartbeats = true;
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
}
