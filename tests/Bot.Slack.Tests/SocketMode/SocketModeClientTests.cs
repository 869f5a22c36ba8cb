using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Adapters.Connections;
using Bot.Slack.SocketMode;
using Bot.Slack.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.SocketMode;

public sealed class SocketModeClientTests
{
    private static readonly TimeSpan SlackAckDeadline = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task StartAsync_FakeSlackSaysHello_StatusReadyOnOneConnection()
    {
        await using var harness = await SocketModeHarness.CreateAsync();

        await harness.StartAndWaitForReadyAsync();

        Assert.Equal(ConnectionState.Ready, harness.Status.Current.State);
        Assert.Equal(1, harness.Socket.Opens);
        Assert.Equal(1, harness.Socket.Connections);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Envelopes_HandlerAnswers_AckedWithItsPayloadInTime()
    {
        await using var harness = await SocketModeHarness.CreateAsync();
        await harness.StartAndWaitForReadyAsync();

        var ids = new List<string>();
        for (var number = 1; number <= 5; number++)
        {
            ids.Add(await harness.SendNumberedAsync(number));
        }

        for (var index = 0; index < ids.Count; index++)
        {
            var ack = await harness.Socket.WaitForAckAsync(ids[index], SlackAckDeadline);
            Assert.False(ack.Late);
            Assert.Equal($"n={index + 1}", ack.Payload!["text"]!.GetValue<string>());
        }

        var first = harness.Handler.Handled.Single(envelope => envelope.EnvelopeId == ids[0]);
        Assert.Equal("slash_commands", first.Type);
        Assert.True(first.AcceptsResponsePayload);
        Assert.Null(first.RetryAttempt);
        Assert.Equal(1, JsonPayloads.Number(first.Payload));
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Envelope_EventsApiWithoutResponsePayload_RetryFieldsParsedAndAckedBare()
    {
        await using var harness = await SocketModeHarness.CreateAsync();
        await harness.StartAndWaitForReadyAsync();

        var id = await harness.Socket.SendEnvelopeAsync(
            "events_api", new JsonObject { ["n"] = 7 }, acceptsResponsePayload: false, retryAttempt: 2, retryReason: "timeout");
        var ack = await harness.Socket.WaitForAckAsync(id, SlackAckDeadline);

        Assert.Null(ack.Payload);
        var envelope = Assert.Single(harness.Handler.Handled, envelope => envelope.EnvelopeId == id);
        Assert.Equal("events_api", envelope.Type);
        Assert.False(envelope.AcceptsResponsePayload);
        Assert.Equal(2, envelope.RetryAttempt);
        Assert.Equal("timeout", envelope.RetryReason);
        // The handler answered, but this envelope takes no payload: the client drops it and says why.
        Assert.Contains(harness.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains(id, StringComparison.Ordinal));
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Envelope_HandlerSlowerThanDeadline_AckedWithoutPayloadInTimeAndOthersNotDelayed()
    {
        // The client and the fake Slack share a clock only the test moves; the slow handler runs until the test ends.
        var time = new FakeTimeProvider();
        await using var harness = await SocketModeHarness.CreateAsync(time: time);
        var slowHandlerRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.Answer = async (envelope, cancellationToken) =>
        {
            var number = JsonPayloads.Number(envelope.Payload);
            if (number == 1)
            {
                await slowHandlerRelease.Task.WaitAsync(cancellationToken);
            }

            return new JsonObject { ["text"] = $"n={number}" };
        };
        await harness.StartAndWaitForReadyAsync();

        var slowId = await harness.SendNumberedAsync(1);
        var fastId = await harness.SendNumberedAsync(2);

        // Acked while the slow handler still runs and before the clock moved: the fast envelope did not queue behind it.
        var fastAck = await harness.Socket.WaitForAckAsync(fastId, SocketModeHarness.Timeout);
        Assert.Equal("n=2", fastAck.Payload!["text"]!.GetValue<string>());

        // The slow envelope's deadline started when it arrived, before the fast one. Short of it, the client waits for the handler.
        time.Advance(harness.Client.AckDeadline - TimeSpan.FromTicks(1));
        Assert.DoesNotContain(harness.Logs.Entries, entry => entry.Message.Contains(slowId, StringComparison.Ordinal) && entry.Level == LogLevel.Warning);
        Assert.DoesNotContain(harness.Socket.Acks, ack => ack.EnvelopeId == slowId);

        time.Advance(TimeSpan.FromTicks(1));
        var slowAck = await harness.Socket.WaitForAckAsync(slowId, SocketModeHarness.Timeout);

        Assert.Null(slowAck.Payload);
        // Late acks are the fake's to judge (Slack's 3 s, on the same clock).
        Assert.False(slowAck.Late);
        Assert.Contains(harness.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains(slowId, StringComparison.Ordinal));
        slowHandlerRelease.SetResult();
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Envelope_RedeliveredWithSameId_AckedAgainWithSamePayloadWithoutSecondHandlerCall()
    {
        // The client and the fake Slack share a clock only the test moves.
        var time = new FakeTimeProvider();
        await using var harness = await SocketModeHarness.CreateAsync(time: time);
        // Slack redelivers after its deadline; a short one on the fake and a handler held past it force a redelivery.
        harness.Socket.AckDeadline = TimeSpan.FromMilliseconds(300);
        var handlerRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.Answer = async (envelope, cancellationToken) =>
        {
            await handlerRelease.Task.WaitAsync(cancellationToken);
            return new JsonObject { ["text"] = "answered once" };
        };
        await harness.StartAndWaitForReadyAsync();

        var id = await harness.SendNumberedAsync(1);
        await harness.WaitUntilAsync(() => harness.Handler.Handled.Count == 1, "the handler to get the envelope");
        time.Advance(harness.Socket.AckDeadline);
        await harness.WaitUntilAsync(
            () => harness.Logs.Entries.Any(entry => entry.Message.Contains("already handled", StringComparison.Ordinal)),
            "the redelivery to reach the client");
        handlerRelease.SetResult();
        await harness.WaitUntilAsync(() => harness.Socket.Acks.Count(ack => ack.EnvelopeId == id) == 2, "an ack for each delivery");

        // The clock passed the fake's deadline once, so there was exactly one redelivery.
        Assert.Equal(2, Deliveries(harness, id));
        Assert.Single(harness.Handler.Handled);
        var acks = harness.Socket.Acks.Where(ack => ack.EnvelopeId == id).ToList();
        Assert.All(acks, ack => Assert.Equal("answered once", ack.Payload!["text"]!.GetValue<string>()));
        Assert.Contains(harness.Logs.Entries, entry => entry.Message.Contains("already handled", StringComparison.Ordinal));
        harness.AssertHealthy(problem => problem.Contains("not acked within", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("refresh_requested")]
    [InlineData("warning")]
    public async Task Disconnect_Refresh_NewConnectionOpenedBeforeOldClosesAndNothingLostOrDoubled(string reason)
    {
        await using var harness = await SocketModeHarness.CreateAsync();
        await harness.StartAndWaitForReadyAsync();
        var ids = new List<string>();
        for (var number = 0; number < 5; number++)
        {
            ids.Add(await harness.SendNumberedAsync(number));
        }

        await harness.Socket.SendDisconnectAsync(reason);
        // Sent while the old connection is still the newest one Slack knows: they must be handled there.
        for (var number = 5; number < 15; number++)
        {
            ids.Add(await harness.SendNumberedAsync(number));
        }

        await harness.WaitUntilAsync(() => harness.Socket.Connections == 2 && harness.Socket.LiveConnections == 1, "the old connection replaced");
        for (var number = 15; number < 20; number++)
        {
            ids.Add(await harness.SendNumberedAsync(number));
        }

        foreach (var id in ids)
        {
            await harness.Socket.WaitForAckAsync(id, SlackAckDeadline);
        }

        Assert.Equal(2, harness.Socket.Opens);
        // Slack counts the connections open when it says hello: 2 means the old one was still open.
        Assert.Equal(2, HelloNumConnections(harness, connectionNumber: 2));
        Assert.All(Enumerable.Range(0, 20), number => Assert.Equal(1, harness.HandledNumbers().GetValueOrDefault(number)));
        Assert.Empty(harness.Socket.UnackedEnvelopeIds);
        Assert.Equal(ConnectionState.Ready, harness.Status.Current.State);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Drop_WithoutCloseFrame_ReconnectsAndHandlesEachEnvelopeOnce()
    {
        await using var harness = await SocketModeHarness.CreateAsync();
        await harness.StartAndWaitForReadyAsync();

        harness.Socket.Drop();
        // Sent while no connection is up: Slack queues it for the next connection.
        var queued = await harness.SendNumberedAsync(1);
        await harness.Socket.WaitForConnectionAsync(2, SocketModeHarness.Timeout);
        var after = await harness.SendNumberedAsync(2);

        await harness.Socket.WaitForAckAsync(queued, SlackAckDeadline);
        await harness.Socket.WaitForAckAsync(after, SlackAckDeadline);
        Assert.Equal(2, harness.Socket.Opens);
        Assert.Equal(1, harness.HandledNumbers()[1]);
        Assert.Equal(1, harness.HandledNumbers()[2]);
        await harness.WaitUntilAsync(() => harness.Status.Current.State == ConnectionState.Ready, "status Ready again");
        Assert.Contains(harness.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains("lost", StringComparison.Ordinal));
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Disconnect_TooManyWebsocketsOnTheNewConnection_ClosesItAndConnectsAgainOnceTheOldIsGone()
    {
        await using var harness = await SocketModeHarness.CreateAsync();
        harness.Socket.MaxConnections = 1;
        await harness.StartAndWaitForReadyAsync();

        // The replacement is opened while the old connection is still up, so the fake refuses it with too_many_websockets.
        await harness.Socket.SendDisconnectAsync("refresh_requested");
        await harness.WaitUntilAsync(() => harness.Socket.Connections >= 3 && harness.Socket.LiveConnections == 1
            && harness.Status.Current.State == ConnectionState.Ready, "one connection again");
        var id = await harness.SendNumberedAsync(1);

        await harness.Socket.WaitForAckAsync(id, SlackAckDeadline);
        Assert.Equal(1, harness.HandledNumbers()[1]);
        harness.AssertHealthy();
    }

    [Fact]
    public async Task Disconnect_LinkDisabled_FailedWithFixAndNoReconnect()
    {
        await using var harness = await SocketModeHarness.CreateAsync(time: new FakeTimeProvider());
        await harness.StartAndWaitForReadyAsync();

        await harness.Socket.SendDisconnectAsync("link_disabled");
        await harness.WaitUntilAsync(() => harness.Status.Current.State == ConnectionState.Failed, "status Failed");
        // Its run has ended, so it can never reconnect, rather than merely not yet.
        await harness.WaitForClientToEndAsync();
        await harness.WaitUntilAsync(() => harness.Socket.LiveConnections == 0, "the connection closed");

        Assert.Equal(SocketModeClient.LinkDisabledDetail, harness.Status.Current.Detail);
        Assert.Contains("Slack__SigningSecret", harness.Status.Current.Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Socket.Opens);
        Assert.Equal(1, harness.Urls.Calls);
        Assert.Single(harness.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.Empty(harness.Fake.Problems);
        harness.AssertNoSecretsLogged();
    }

    [Theory]
    [InlineData("xapp-revoked", "invalid_auth")]
    [InlineData("xoxb-fakebot", "not_allowed_token_type")]
    public async Task Open_TokenRejected_FailedWithFixAndNoRetry(string appToken, string error)
    {
        await using var harness = await SocketModeHarness.CreateAsync(appToken, new FakeTimeProvider());

        await harness.StartAsync();
        await harness.WaitUntilAsync(() => harness.Status.Current.State == ConnectionState.Failed, "status Failed");
        // Its run has ended, so it can never try again, rather than merely not yet.
        await harness.WaitForClientToEndAsync();

        Assert.Contains(error, harness.Status.Current.Detail, StringComparison.Ordinal);
        Assert.Contains("Slack__AppToken", harness.Status.Current.Detail, StringComparison.Ordinal);
        Assert.Equal(1, harness.Urls.Calls);
        Assert.Equal(0, harness.Socket.Connections);
        Assert.Single(harness.Logs.Entries, entry => entry.Level == LogLevel.Error);
        Assert.DoesNotContain(harness.Logs.Entries, entry => entry.Message.Contains(appToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Soak_TwentyDisconnectsOfEachKindDuring120Envelopes_EachHandledOnceAndAcked()
    {
        const int Envelopes = 120;
        string[] disruptions = ["refresh_requested", "warning", "drop"];
        var disruptionCount = 20 * disruptions.Length;
        await using var harness = await SocketModeHarness.CreateAsync();
        await harness.StartAndWaitForReadyAsync();

        var ids = new List<string>();
        var disrupted = 0;
        for (var number = 0; number < Envelopes; number++)
        {
            ids.Add(await harness.SendNumberedAsync(number));
            if (number % 2 == 0 && disrupted < disruptionCount)
            {
                await DisruptAsync(harness, disruptions[disrupted % disruptions.Length], connectionsBefore: disrupted);
                disrupted++;
            }
        }

        await harness.WaitUntilAsync(
            () => harness.Socket.UnackedEnvelopeIds.Count == 0 && harness.Handler.Handled.Count >= Envelopes,
            "every envelope acked", TimeSpan.FromSeconds(15));

        Assert.Equal(disruptionCount, disrupted);
        Assert.True(harness.Socket.Connections >= disruptionCount + 1, harness.Fake.DescribeState());
        var handled = harness.HandledNumbers();
        Assert.All(Enumerable.Range(0, Envelopes), number => Assert.Equal(1, handled.GetValueOrDefault(number)));
        Assert.Equal(Envelopes, harness.Handler.Handled.Count);
        Assert.All(ids, id => Assert.Contains(harness.Socket.Acks, ack => ack.EnvelopeId == id));
        harness.AssertHealthy();
    }

    [Fact]
    public async Task StopAsync_Connected_ClosesWith1000QuicklyWithoutErrors()
    {
        await using var server = await CloseRecordingServer.StartAsync();
        var logs = new LogRecorder<SocketModeClient>();
        var status = new ConnectionStatus();
        // The clock never moves, so the close completes without any of the client's timeouts running out.
        using var client = new SocketModeClient(server, new RecordingSocketModeHandler(), status, new FakeTimeProvider(), logs)
        {
            Reconnect = { CloseTimeout = TimeSpan.FromSeconds(1) },
        };
        await client.StartAsync(CancellationToken.None);
        var started = Stopwatch.GetTimestamp();
        while (status.Current.State != ConnectionState.Ready && Stopwatch.GetElapsedTime(started) < SocketModeHarness.Timeout)
        {
            await Task.Delay(10);
        }

        Assert.Equal(ConnectionState.Ready, status.Current.State);
        using var deadline = new CancellationTokenSource(SocketModeHarness.Timeout);
        await client.StopAsync(deadline.Token);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await server.CloseStatus.WaitAsync(SocketModeHarness.Timeout));
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task StopAsync_AfterSoakOfRefreshes_LeavesNoConnectionOpenWithoutErrors()
    {
        await using var harness = await SocketModeHarness.CreateAsync();
        await harness.StartAndWaitForReadyAsync();
        await harness.Socket.SendDisconnectAsync("refresh_requested");
        await harness.Socket.WaitForConnectionAsync(2, SocketModeHarness.Timeout);

        await harness.StopAsync();

        await harness.WaitUntilAsync(() => harness.Socket.LiveConnections == 0, "every connection closed", TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(harness.Logs.Entries, entry => entry.Level >= LogLevel.Warning);
        harness.AssertHealthy();
    }

    /// <summary>
    /// Drops the newest connection or sends it a disconnect, once the one replacing the previous victim has said hello
    /// (a just-dropped connection may still be counted as live, hence the retry).
    /// </summary>
    private static async Task DisruptAsync(SocketModeHarness harness, string kind, int connectionsBefore)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            // Each disruption must hit a connection the previous one did not, or two would count as one.
            await harness.Socket.WaitForConnectionAsync(connectionsBefore + 1, SocketModeHarness.Timeout);
            try
            {
                if (kind == "drop")
                {
                    harness.Socket.Drop();
                }
                else
                {
                    await harness.Socket.SendDisconnectAsync(kind);
                }

                return;
            }
            catch (InvalidOperationException) when (Stopwatch.GetElapsedTime(started) < SocketModeHarness.Timeout)
            {
                await Task.Delay(10);
            }
        }
    }

    private static int Deliveries(SocketModeHarness harness, string envelopeId) =>
        harness.Socket.SentFrames.Count(frame => frame.Json.Contains($"\"envelope_id\":\"{envelopeId}\"", StringComparison.Ordinal));

    private static int HelloNumConnections(SocketModeHarness harness, int connectionNumber)
    {
        var hello = harness.Socket.SentFrames.First(frame => frame.ConnectionNumber == connectionNumber
            && frame.Json.Contains("\"hello\"", StringComparison.Ordinal));
        return JsonDocument.Parse(hello.Json).RootElement.GetProperty("num_connections").GetInt32();
    }
}
