using System.Text.Json;
using Bot.Adapters.Connections;
using Bot.Discord.Gateway;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Gateway;

public sealed class GatewayPartsTests
{
    [Fact]
    public void TryAcquire_BudgetUsed_WaitsUntilTheOldestSendLeavesTheWindow()
    {
        var time = new FakeTimeProvider();
        var limiter = new GatewaySendLimiter(time, TimeSpan.FromSeconds(41.25));
        var allowed = GatewaySendLimiter.Limit - limiter.ReservedForHeartbeats;
        for (var sent = 0; sent < allowed; sent++)
        {
            Assert.True(limiter.TryAcquire(out _));
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.False(limiter.TryAcquire(out var retryAfter));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(58), GatewaySendLimiter.Window);

        time.Advance(retryAfter);
        Assert.True(limiter.TryAcquire(out _));
    }

    [Fact]
    public void RecordHeartbeat_BudgetUsedByOtherSends_HeartbeatsStillFitUnderTheLimit()
    {
        var time = new FakeTimeProvider();
        var limiter = new GatewaySendLimiter(time, TimeSpan.FromSeconds(41.25));
        while (limiter.TryAcquire(out _))
        {
        }

        for (var beat = 0; beat < limiter.ReservedForHeartbeats; beat++)
        {
            limiter.RecordHeartbeat();
        }

        Assert.True(limiter.ReservedForHeartbeats >= 3);
        Assert.False(limiter.TryAcquire(out _));
    }

    [Theory]
    [InlineData(null, "Resume")]
    [InlineData(1000, "Resume")]
    [InlineData(4000, "Resume")]
    [InlineData(4001, "Resume")]
    [InlineData(4002, "Resume")]
    [InlineData(4003, "Resume")]
    [InlineData(4005, "Resume")]
    [InlineData(4008, "Resume")]
    [InlineData(4007, "NewSession")]
    [InlineData(4009, "NewSession")]
    [InlineData(4004, "Fatal")]
    [InlineData(4010, "Fatal")]
    [InlineData(4011, "Fatal")]
    [InlineData(4012, "Fatal")]
    [InlineData(4013, "Fatal")]
    [InlineData(4014, "Fatal")]
    public void Classify_CloseCode_FollowsDiscordsTable(int? code, string expected)
    {
        Assert.Equal(expected, GatewayCloseCodes.Classify(code).ToString());
    }

    [Fact]
    public void Identify_WithShard_IsTheDocumentedShape()
    {
        var payload = GatewayPayloads.Identify("secret", 0, 2);

        using var document = JsonDocument.Parse(payload);
        Assert.Equal(
            """{"op":2,"d":{"token":"secret","intents":0,"properties":{"os":"linux","browser":"tutor-bot","device":"tutor-bot"},"shard":[0,2]}}""",
            document.RootElement.GetRawText());
    }

    [Theory]
    [InlineData(null, """{"op":1,"d":null}""")]
    [InlineData(42L, """{"op":1,"d":42}""")]
    public void Heartbeat_Sequence_IsTheLastSequenceOrNull(long? sequence, string expected)
    {
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(GatewayPayloads.Heartbeat(sequence).Span));
    }

    [Fact]
    public void Resume_Session_CarriesTokenSessionAndSequence()
    {
        var text = System.Text.Encoding.UTF8.GetString(GatewayPayloads.Resume("secret", "abc", 7).Span);

        Assert.Equal("""{"op":6,"d":{"token":"secret","session_id":"abc","seq":7}}""", text);
    }

    [Fact]
    public void Backoff_Failures_DoublesWithJitterUpToTheMaximum()
    {
        using var client = new GatewayClient(
            Microsoft.Extensions.Options.Options.Create(new DiscordOptions { BotToken = "secret" }),
            new StubGatewayUrlSource(new Uri("ws://127.0.0.1:1/"), 1),
            new RecordingDispatchHandler(),
            new ConnectionStatus(),
            TimeProvider.System,
            new GatewayLogRecorder<GatewayClient>());

        Assert.False(client.Reconnect.BackOffAfterReady);
        for (var trial = 0; trial < 20; trial++)
        {
            Assert.InRange(client.Reconnect.Backoff(1), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
            Assert.InRange(client.Reconnect.Backoff(3), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
            Assert.InRange(client.Reconnect.Backoff(50), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        }
    }
}
