using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

public sealed class FakeGatewaySelfTests
{
    private const string Token = "fake-discord-bot-token";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Connect_Always_SendsHelloFirst()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayOptions { HeartbeatIntervalMs = 41250 });
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);

        var hello = await client.ReceiveAsync();

        Assert.Equal(10, hello["op"]!.GetValue<int>());
        Assert.Equal(41250, hello["d"]!["heartbeat_interval"]!.GetValue<int>());
        Assert.True(hello.ContainsKey("s") && hello["s"] is null);
        Assert.True(hello.ContainsKey("t") && hello["t"] is null);
        Assert.Equal(["?v=10&encoding=json"], gateway.ConnectQueries);
        Assert.Empty(gateway.Problems);
    }

    [Fact]
    public async Task Connect_WithoutVersionAndEncoding_RecordsProblems()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url, query: "");

        await client.ReceiveAsync();

        Assert.Contains(gateway.Problems, problem => problem.Contains("v=(missing)", StringComparison.Ordinal));
        Assert.Contains(gateway.Problems, problem => problem.Contains("encoding=(missing)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Heartbeat_WithNullSequence_IsAcknowledged()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await client.SendAsync(Heartbeat(null));
        var ack = await client.ReceiveAsync();

        Assert.Equal(11, ack["op"]!.GetValue<int>());
        Assert.Equal(1, gateway.Heartbeats);
        Assert.Empty(gateway.Problems);
    }

    [Fact]
    public async Task Heartbeat_ClaimingUnsentSequence_RecordsProblem()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        await client.SendAsync(Heartbeat(1));
        await client.ReceiveAsync();
        await client.SendAsync(Heartbeat(9));
        await client.ReceiveAsync();

        Assert.Equal(["connection 1: heartbeat claims sequence 9, but the session has only reached 1"], gateway.Problems);
    }

    [Fact]
    public async Task Heartbeat_WhenAcknowledgementsDisabled_GetsNoAck()
    {
        await using var gateway = await FakeGateway.StartAsync();
        gateway.AcknowledgeHeartbeats = false;
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await client.SendAsync(Heartbeat(null));
        await gateway.WaitForAsync(g => g.Heartbeats == 1, Timeout);
        await gateway.RequestHeartbeatAsync();

        // Sends are ordered, so an ACK for the heartbeat would have arrived before this op 1.
        var next = await client.ReceiveAsync();
        Assert.Equal(1, next["op"]!.GetValue<int>());
    }

    [Fact]
    public async Task RequestHeartbeat_ClientNeverAnswers_RecordsProblem()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayOptions { RequestedHeartbeatDeadline = TimeSpan.FromMilliseconds(100) });
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await gateway.RequestHeartbeatAsync();
        var request = await client.ReceiveAsync();

        Assert.Equal(1, request["op"]!.GetValue<int>());
        await gateway.WaitForAsync(g => g.Problems.Any(problem => problem.Contains("heartbeat request", StringComparison.Ordinal)), Timeout);
    }

    [Fact]
    public async Task Heartbeat_SentOnTime_KeepsConnectionOpenWithoutProblems()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayOptions { HeartbeatIntervalMs = 400 });
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        for (var beat = 0; beat < 5; beat++)
        {
            await Task.Delay(100);
            await client.SendAsync(Heartbeat(null));
            Assert.Equal(11, (await client.ReceiveAsync())["op"]!.GetValue<int>());
        }

        Assert.Empty(gateway.ServerCloseCodes);
        Assert.Empty(gateway.Problems);
    }

    [Fact]
    public async Task Heartbeat_Missing_RecordsProblemAndClosesKeepingSessionResumable()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayOptions { HeartbeatIntervalMs = 300 });
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        var closeCode = await client.ReceiveCloseAsync();

        Assert.Equal(4000, closeCode);
        Assert.Contains(gateway.Problems, problem => problem.Contains("no heartbeat", StringComparison.Ordinal));
        Assert.True(gateway.IsSessionResumable);
    }

    [Fact]
    public async Task Identify_WithWrongToken_ClosesWith4004()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await client.SendAsync(Identify(token: "wrong-token"));

        Assert.Equal(4004, await client.ReceiveCloseAsync());
        Assert.Null(gateway.SessionId);
    }

    [Fact]
    public async Task Identify_Valid_SendsReadyWithSessionAndResumeUrl()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await client.SendAsync(Identify(shard: [0, 1]));
        var ready = await client.ReceiveAsync();

        Assert.Equal(0, ready["op"]!.GetValue<int>());
        Assert.Equal("READY", ready["t"]!.GetValue<string>());
        Assert.Equal(1, ready["s"]!.GetValue<int>());
        var data = ready["d"]!;
        Assert.Equal(10, data["v"]!.GetValue<int>());
        Assert.True(data["user"]!["bot"]!.GetValue<bool>());
        Assert.Empty(data["guilds"]!.AsArray());
        Assert.Equal(gateway.SessionId, data["session_id"]!.GetValue<string>());
        Assert.Equal(gateway.ResumeUrl.ToString(), data["resume_gateway_url"]!.GetValue<string>());
        Assert.NotNull(data["application"]!["id"]);
        Assert.Equal("[0,1]", data["shard"]!.ToJsonString());
        await gateway.WaitForSessionAsync(Timeout);
        Assert.Empty(gateway.Problems);
    }

    [Theory]
    [InlineData("undefined-intent-bit", 4013, true)]
    [InlineData("intents-as-string", 4013, true)]
    [InlineData("unapproved-privileged-intent", 4014, false)]
    [InlineData("shard-id-not-below-count", 4010, true)]
    [InlineData("missing-properties", 4002, true)]
    public async Task Identify_InvalidField_ClosesWithDiscordCode(string defect, int expectedCode, bool isProblem)
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        var identify = Identify();
        var data = identify["d"]!.AsObject();
        switch (defect)
        {
            case "undefined-intent-bit": data["intents"] = 1L << 18; break;
            case "intents-as-string": data["intents"] = "1"; break;
            case "unapproved-privileged-intent": data["intents"] = 1L << 15; break;
            case "shard-id-not-below-count": data["shard"] = new JsonArray(1, 1); break;
            case "missing-properties": data.Remove("properties"); break;
            default: throw new ArgumentOutOfRangeException(nameof(defect));
        }

        await client.SendAsync(identify);

        Assert.Equal(expectedCode, await client.ReceiveCloseAsync());
        Assert.Equal(isProblem, gateway.Problems.Count > 0);
    }

    [Fact]
    public async Task Identify_TwiceOnOneConnection_ClosesWith4005AndRecordsProblem()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        await client.SendAsync(Identify());

        Assert.Equal(4005, await client.ReceiveCloseAsync());
        Assert.Contains(gateway.Problems, problem => problem.Contains("already identified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Identify_AgainWithinFiveSeconds_RecordsRateProblem()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var first = await ScriptedClient.ConnectAsync(gateway.Url);
        await first.ReceiveAsync();
        await first.SendAsync(Identify());
        await first.ReceiveAsync();
        await first.CloseAsync(4000);
        await using var second = await ScriptedClient.ConnectAsync(gateway.Url);
        await second.ReceiveAsync();

        await second.SendAsync(Identify());
        var ready = await second.ReceiveAsync();

        Assert.Equal("READY", ready["t"]!.GetValue<string>());
        Assert.Contains(gateway.Problems, problem => problem.Contains("max_concurrency", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CloseAfterIdentifyWith_Set_ClosesWithThatCodeInsteadOfReady()
    {
        await using var gateway = await FakeGateway.StartAsync();
        gateway.CloseAfterIdentifyWith = 4014;
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await client.SendAsync(Identify());

        Assert.Equal(4014, await client.ReceiveCloseAsync());
        Assert.Null(gateway.CloseAfterIdentifyWith);
        Assert.Null(gateway.SessionId);
    }

    [Fact]
    public async Task Dispatch_AfterReady_ArrivesWithIncreasingSequence()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        var firstSequence = await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "1" });
        var secondSequence = await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "2" });
        var first = await client.ReceiveAsync();
        var second = await client.ReceiveAsync();

        Assert.Equal((2, 3), (firstSequence, secondSequence));
        Assert.Equal((2, "INTERACTION_CREATE", "1"), (first["s"]!.GetValue<int>(), first["t"]!.GetValue<string>(), first["d"]!["id"]!.GetValue<string>()));
        Assert.Equal((3, "2"), (second["s"]!.GetValue<int>(), second["d"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Resume_AfterAbort_ReplaysMissedEventsThenResumed()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var first = await ScriptedClient.ConnectAsync(gateway.Url);
        await first.ReceiveAsync();
        await first.SendAsync(Identify());
        var sessionId = (await first.ReceiveAsync())["d"]!["session_id"]!.GetValue<string>();
        await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "seen" });
        Assert.Equal(2, (await first.ReceiveAsync())["s"]!.GetValue<int>());

        gateway.Abort();
        await Assert.ThrowsAnyAsync<WebSocketException>(() => first.ReceiveAsync());
        await gateway.WaitForAsync(g => !g.IsLive, Timeout);
        await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "missed-1" });
        await gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject { ["id"] = "missed-2" });
        await using var second = await ScriptedClient.ConnectAsync(gateway.ResumeUrl);
        await second.ReceiveAsync();
        await second.SendAsync(Resume(sessionId, 2));

        var replayed = new[] { await second.ReceiveAsync(), await second.ReceiveAsync(), await second.ReceiveAsync() };

        Assert.Equal(
            [(3, "INTERACTION_CREATE"), (4, "INTERACTION_CREATE"), (5, "RESUMED")],
            replayed.Select(payload => (payload["s"]!.GetValue<int>(), payload["t"]!.GetValue<string>())));
        Assert.Equal(["missed-1", "missed-2"], replayed.Take(2).Select(payload => payload["d"]!["id"]!.GetValue<string>()));
        Assert.Equal(1, gateway.Resumes);
        Assert.True(gateway.IsLive);
        Assert.Empty(gateway.Problems);
    }

    [Theory]
    [InlineData(1000, false)]
    [InlineData(1001, false)]
    [InlineData(4000, true)]
    public async Task Resume_AfterClientClose_DependsOnCloseCode(int clientCloseCode, bool resumable)
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var first = await ScriptedClient.ConnectAsync(gateway.Url);
        await first.ReceiveAsync();
        await first.SendAsync(Identify());
        var sessionId = (await first.ReceiveAsync())["d"]!["session_id"]!.GetValue<string>();
        await first.CloseAsync(clientCloseCode);
        await gateway.WaitForAsync(g => g.ClientCloseCodes.Count == 1, Timeout);
        await using var second = await ScriptedClient.ConnectAsync(gateway.ResumeUrl);
        await second.ReceiveAsync();

        await second.SendAsync(Resume(sessionId, 1));
        var answer = await second.ReceiveAsync();

        if (resumable)
        {
            Assert.Equal((0, "RESUMED"), (answer["op"]!.GetValue<int>(), answer["t"]!.GetValue<string>()));
        }
        else
        {
            Assert.Equal((9, false), (answer["op"]!.GetValue<int>(), answer["d"]!.GetValue<bool>()));
        }

        Assert.Equal([clientCloseCode], gateway.ClientCloseCodes);
        Assert.Empty(gateway.Problems);
    }

    [Fact]
    public async Task Resume_WithSequenceAboveSession_ClosesWith4007AndEndsSession()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var first = await ScriptedClient.ConnectAsync(gateway.Url);
        await first.ReceiveAsync();
        await first.SendAsync(Identify());
        var sessionId = (await first.ReceiveAsync())["d"]!["session_id"]!.GetValue<string>();
        first.Abort();
        await using var second = await ScriptedClient.ConnectAsync(gateway.ResumeUrl);
        await second.ReceiveAsync();

        await second.SendAsync(Resume(sessionId, 7));

        Assert.Equal(4007, await second.ReceiveCloseAsync());
        Assert.False(gateway.IsSessionResumable);
        Assert.Contains(gateway.Problems, problem => problem.Contains("seq 7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resume_OnGatewayUrlInsteadOfResumeUrl_RecordsProblem()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var first = await ScriptedClient.ConnectAsync(gateway.Url);
        await first.ReceiveAsync();
        await first.SendAsync(Identify());
        var sessionId = (await first.ReceiveAsync())["d"]!["session_id"]!.GetValue<string>();
        first.Abort();
        await using var second = await ScriptedClient.ConnectAsync(gateway.Url);
        await second.ReceiveAsync();

        await second.SendAsync(Resume(sessionId, 1));

        Assert.Equal("RESUMED", (await second.ReceiveAsync())["t"]!.GetValue<string>());
        Assert.Contains(gateway.Problems, problem => problem.Contains("resume_gateway_url", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReconnectAndInvalidSession_Sent_ArriveAsOps7And9()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        await gateway.SendReconnectAsync();
        var reconnect = await client.ReceiveAsync();
        await gateway.SendInvalidSessionAsync(resumable: true);
        var resumableInvalid = await client.ReceiveAsync();
        var stillResumable = gateway.IsSessionResumable;
        await gateway.SendInvalidSessionAsync(resumable: false);
        var finalInvalid = await client.ReceiveAsync();

        Assert.Equal(7, reconnect["op"]!.GetValue<int>());
        Assert.Equal((9, true), (resumableInvalid["op"]!.GetValue<int>(), resumableInvalid["d"]!.GetValue<bool>()));
        Assert.True(stillResumable);
        Assert.Equal((9, false), (finalInvalid["op"]!.GetValue<int>(), finalInvalid["d"]!.GetValue<bool>()));
        Assert.False(gateway.IsSessionResumable);
    }

    [Fact]
    public async Task Reconnect_ClientClosesWith1000_RecordsProblemAndDiscardsSession()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();
        await gateway.SendReconnectAsync();
        await client.ReceiveAsync();

        await client.CloseAsync(1000);

        await gateway.WaitForAsync(g => g.Problems.Any(problem => problem.Contains("op 7", StringComparison.Ordinal)), Timeout);
        Assert.False(gateway.IsSessionResumable);
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4009, false)]
    public async Task Close_ByTest_SessionResumableOnlyForResumableCodes(int closeCode, bool resumable)
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        await gateway.CloseAsync(closeCode);

        Assert.Equal(closeCode, await client.ReceiveCloseAsync());
        Assert.Equal(resumable, gateway.IsSessionResumable);
    }

    [Fact]
    public async Task Payload_Oversized_ClosesWith4002AndRecordsProblem()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();
        await client.SendAsync(Identify());
        await client.ReceiveAsync();

        await client.SendAsync(new JsonObject { ["op"] = 3, ["d"] = new JsonObject { ["padding"] = new string('x', 5000) } });

        Assert.Equal(4002, await client.ReceiveCloseAsync());
        Assert.Contains(gateway.Problems, problem => problem.Contains("4096", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("this is not json", 4002)]
    [InlineData("[1,2]", 4002)]
    [InlineData("""{"op":99,"d":null}""", 4001)]
    [InlineData("""{"op":3,"d":{"status":"online"}}""", 4003)]
    [InlineData("""{"op":1,"d":"seven"}""", 4002)]
    public async Task Payload_Malformed_ClosesWithDiscordCodeAndRecordsProblem(string text, int expectedCode)
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        await client.SendRawAsync(text);

        Assert.Equal(expectedCode, await client.ReceiveCloseAsync());
        Assert.Single(gateway.Problems);
    }

    [Fact]
    public async Task Payloads_OverPerMinuteLimit_CloseWith4008()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayOptions { PayloadsPerMinute = 3 });
        await using var client = await ScriptedClient.ConnectAsync(gateway.Url);
        await client.ReceiveAsync();

        for (var beat = 0; beat < 3; beat++)
        {
            await client.SendAsync(Heartbeat(null));
            await client.ReceiveAsync();
        }

        await client.SendAsync(Heartbeat(null));

        Assert.Equal(4008, await client.ReceiveCloseAsync());
        Assert.Contains(gateway.Problems, problem => problem.Contains("4008", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_WithoutSession_Throws()
    {
        await using var gateway = await FakeGateway.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.DispatchAsync("INTERACTION_CREATE", new JsonObject()));
    }

    private static JsonObject Heartbeat(int? sequence) => new() { ["op"] = 1, ["d"] = sequence };

    private static JsonObject Identify(string token = Token, JsonArray? shard = null)
    {
        var data = new JsonObject
        {
            ["token"] = token,
            ["intents"] = 0,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "selftest", ["device"] = "selftest" },
        };
        if (shard is not null)
        {
            data["shard"] = shard;
        }

        return new JsonObject { ["op"] = 2, ["d"] = data };
    }

    private static JsonObject Resume(string sessionId, int sequence) => new()
    {
        ["op"] = 6,
        ["d"] = new JsonObject { ["token"] = Token, ["session_id"] = sessionId, ["seq"] = sequence },
    };

    // The smallest client that can script a conversation: one frame at a time, no background reading.
    private sealed class ScriptedClient : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();

        public static async Task<ScriptedClient> ConnectAsync(Uri url, string query = "?v=10&encoding=json")
        {
            var client = new ScriptedClient();
            using var timeout = new CancellationTokenSource(Timeout);
            await client._socket.ConnectAsync(query.Length == 0 ? url : new Uri(url, query), timeout.Token);
            return client;
        }

        public async Task<JsonObject> ReceiveAsync()
        {
            var (type, text) = await ReceiveFrameAsync();
            return type == WebSocketMessageType.Close
                ? throw new InvalidOperationException($"Expected a payload, but the gateway closed with {(int?)_socket.CloseStatus}.")
                : JsonNode.Parse(text)!.AsObject();
        }

        // Reads until the gateway's close frame, answers it, and returns its code.
        public async Task<int?> ReceiveCloseAsync()
        {
            while (true)
            {
                var (type, _) = await ReceiveFrameAsync();
                if (type == WebSocketMessageType.Close)
                {
                    using var timeout = new CancellationTokenSource(Timeout);
                    await _socket.CloseOutputAsync(_socket.CloseStatus ?? WebSocketCloseStatus.Empty, null, timeout.Token);
                    return (int?)_socket.CloseStatus;
                }
            }
        }

        public Task SendAsync(JsonNode payload) => SendRawAsync(payload.ToJsonString());

        public async Task SendRawAsync(string text)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }

        public async Task CloseAsync(int closeCode)
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await _socket.CloseAsync((WebSocketCloseStatus)closeCode, null, timeout.Token);
        }

        public void Abort() => _socket.Abort();

        public ValueTask DisposeAsync()
        {
            _socket.Abort();
            _socket.Dispose();
            return ValueTask.CompletedTask;
        }

        private async Task<(WebSocketMessageType Type, string Text)> ReceiveFrameAsync()
        {
            using var timeout = new CancellationTokenSource(Timeout);
            var buffer = new byte[16384];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return (result.MessageType, Encoding.UTF8.GetString(message.ToArray()));
                }
            }
        }
    }
}
