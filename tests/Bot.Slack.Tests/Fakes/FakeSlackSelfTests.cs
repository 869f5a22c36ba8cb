using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.Fakes;

public sealed class FakeSlackSelfTests : IAsyncLifetime
{
    private const string Channel = SlackPayloads.DefaultChannelId;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static readonly HttpClient Http = new();
    private FakeSlack _slack = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        _slack.AddChannel(Channel);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
    }

    [Fact]
    public void Sign_OfficialSlackVector_ReproducesSlacksSignature()
    {
        // Slack's worked example from "Verifying requests from Slack".
        const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var signer = new SlackSigner("8f742231b10e8888abcd99yyyzzz85a5");

        var signature = signer.Sign("1531420618", Body);

        Assert.Equal(362, Encoding.UTF8.GetByteCount(Body));
        Assert.Equal("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", signature);
    }

    [Fact]
    public async Task PostFormAsync_SlashCommand_SignsTheExactBodySent()
    {
        using var capture = new CapturingHandler();
        using var client = new HttpClient(capture);
        var signer = new SlackSigner();
        var form = SlackPayloads.SlashCommand("/tutor", "what is recursion?", _slack.NewResponseUrl(Channel));

        using var response = await signer.PostFormAsync(client, new Uri("http://127.0.0.1:9/slack/commands"), form, "1700000000");

        var request = Assert.Single(capture.Requests);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal("1700000000", request.Headers["X-Slack-Request-Timestamp"]);
        Assert.Equal(signer.Sign("1700000000", request.Body), request.Headers["X-Slack-Signature"]);
        Assert.Contains("command=%2Ftutor", request.Body, StringComparison.Ordinal);
        Assert.Contains("text=what+is+recursion%3F", request.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "not_authed")]
    [InlineData("xoxb-elsewhere", "invalid_auth")]
    [InlineData(FakeSlack.AppToken, "not_allowed_token_type")]
    public async Task AuthTest_BadToken_AnswersOkFalseWithSlacksError(string? token, string error)
    {
        var result = await CallFormAsync("auth.test", [], token);

        Assert.False((bool)result["ok"]!);
        Assert.Equal(error, (string?)result["error"]);
        Assert.NotEmpty(_slack.Problems);
        Assert.Equal(200, _slack.Requests[^1].Status);
    }

    [Fact]
    public async Task AuthTest_BotToken_ReturnsTheBotsIdentity()
    {
        var result = await CallFormAsync("auth.test", []);

        Assert.True((bool)result["ok"]!);
        Assert.Equal(FakeSlack.BotUserId, (string?)result["user_id"]);
        Assert.Equal(FakeSlack.TeamId, (string?)result["team_id"]);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task AppsConnectionsOpen_BotToken_NotAllowedTokenType()
    {
        var result = await CallFormAsync("apps.connections.open", [], FakeSlack.BotToken);

        Assert.Equal("not_allowed_token_type", (string?)result["error"]);
        Assert.Equal(0, _slack.SocketMode.Opens);
    }

    [Fact]
    public async Task PostMessage_FiftyOneBlocks_InvalidBlocks()
    {
        var blocks = new JsonArray(Enumerable.Range(0, 51).Select(_ => (JsonNode?)new JsonObject { ["type"] = "divider" }).ToArray());

        var result = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "t", ["blocks"] = blocks });

        Assert.Equal("invalid_blocks", (string?)result["error"]);
        Assert.Contains(_slack.Problems, p => p.Contains("51 blocks", StringComparison.Ordinal));
        Assert.Empty(_slack.Messages(Channel));
    }

    [Theory]
    [InlineData(75, true)]
    [InlineData(76, false)]
    public async Task PostMessage_ButtonTextLength_AcceptedUpTo75(int length, bool accepted)
    {
        var button = new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = "answer",
            ["value"] = "A",
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('x', length) },
        };
        var blocks = new JsonArray(new JsonObject { ["type"] = "actions", ["elements"] = new JsonArray(button) });

        var result = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "Quiz", ["blocks"] = blocks });

        Assert.Equal(accepted, (bool)result["ok"]!);
        Assert.Equal(accepted, _slack.Problems.Count == 0);
    }

    [Fact]
    public async Task PostMessage_JsonWithoutCharset_WarnsMissingCharset()
    {
        var result = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "hi" }, contentType: "application/json");

        Assert.True((bool)result["ok"]!);
        Assert.Equal("missing_charset", (string?)result["warning"]);
        Assert.Contains(_slack.Problems, p => p.Contains("charset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostMessage_Valid_StoresMessageWithIncreasingTs()
    {
        var first = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "one" });
        var reply = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "two", ["thread_ts"] = (string?)first["ts"] });

        Assert.True((bool)reply["ok"]!);
        Assert.True(string.CompareOrdinal((string?)reply["ts"], (string?)first["ts"]) > 0);
        var message = Assert.Single(_slack.Messages(Channel));
        Assert.Equal("one", message.Text);
        Assert.Equal("two", Assert.Single(message.Replies).Text);
        Assert.Empty(_slack.Problems);
    }

    [Theory]
    [InlineData("C0UNKNOWN1", "channel_not_found")]
    [InlineData("C0OUTSIDE1", "not_in_channel")]
    public async Task PostMessage_ChannelBotCannotPostIn_AnswersSlacksError(string channel, string error)
    {
        _slack.AddChannel("C0OUTSIDE1", botIsMember: false);

        var result = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = channel, ["text"] = "hi" });

        Assert.Equal(error, (string?)result["error"]);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task PostMessage_BlocksWithoutText_IsAProblem()
    {
        var blocks = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "*hi*" } });

        var result = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["blocks"] = blocks });

        Assert.True((bool)result["ok"]!);
        Assert.Contains(_slack.Problems, p => p.Contains("fallback", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChatUpdate_UnknownTs_MessageNotFound_KnownTs_Edits()
    {
        var posted = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "draft" });

        var missing = await CallAsync("chat.update", new JsonObject { ["channel"] = Channel, ["ts"] = "1.000001", ["text"] = "x" });
        var updated = await CallAsync("chat.update", new JsonObject { ["channel"] = Channel, ["ts"] = (string?)posted["ts"], ["text"] = "final" });

        Assert.Equal("message_not_found", (string?)missing["error"]);
        Assert.True((bool)updated["ok"]!);
        var message = Assert.Single(_slack.Messages(Channel));
        Assert.Equal(("final", 1), (message.Text, message.EditCount));
    }

    [Fact]
    public async Task ConversationsHistory_JsonBody_ChannelUnreadAndProblem()
    {
        var result = await CallAsync("conversations.history", new JsonObject { ["channel"] = Channel });

        Assert.Equal("channel_not_found", (string?)result["error"]);
        Assert.Contains(_slack.Problems, p => p.Contains("JSON body is not read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConversationsHistory_Metadata_ReturnedOnlyWithIncludeAllMetadata()
    {
        var metadata = new JsonObject { ["event_type"] = "tutor_post", ["event_payload"] = new JsonObject { ["key"] = "daily-1" } };
        await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "old" });
        await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "daily", ["metadata"] = metadata });

        var plain = await CallFormAsync("conversations.history", new() { ["channel"] = Channel });
        var withMetadata = await CallFormAsync("conversations.history", new() { ["channel"] = Channel, ["include_all_metadata"] = "true", ["limit"] = "1" });

        var plainMessages = (JsonArray)plain["messages"]!;
        Assert.Equal(2, plainMessages.Count);
        Assert.Equal("daily", (string?)plainMessages[0]!["text"]);
        Assert.All(plainMessages, m => Assert.Null(m!["metadata"]));
        var newest = Assert.Single((JsonArray)withMetadata["messages"]!)!;
        Assert.Equal("daily-1", (string?)newest["metadata"]!["event_payload"]!["key"]);
        Assert.True((bool)withMetadata["has_more"]!);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task ResponseUrl_EphemeralAndInChannel_LandWhereSlackShowsThem()
    {
        var url = _slack.NewResponseUrl(Channel, "U0STUDENT1");

        using var ephemeral = await PostJsonAsync(url, new JsonObject { ["text"] = "only you" });
        using var inChannel = await PostJsonAsync(url, new JsonObject { ["response_type"] = "in_channel", ["text"] = "everyone" });

        Assert.Equal(HttpStatusCode.OK, ephemeral.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inChannel.StatusCode);
        var shown = Assert.Single(_slack.Ephemerals);
        Assert.Equal(("U0STUDENT1", "only you"), (shown.User, (string?)shown.Body["text"]));
        Assert.Equal("everyone", Assert.Single(_slack.Messages(Channel)).Text);
        Assert.Equal(2, _slack.ResponsePosts(url).Count);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task ResponseUrl_SixthPost_Refused()
    {
        var url = _slack.NewResponseUrl(Channel, "U0STUDENT1");
        for (var i = 0; i < 5; i++)
        {
            using var accepted = await PostJsonAsync(url, new JsonObject { ["text"] = $"post {i}" });
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var sixth = await PostJsonAsync(url, new JsonObject { ["text"] = "one too many" });

        Assert.Equal(HttpStatusCode.NotFound, sixth.StatusCode);
        Assert.Equal(5, _slack.Ephemerals.Count);
        Assert.False(_slack.ResponsePosts(url)[^1].Accepted);
        Assert.Single(_slack.Problems);
    }

    [Fact]
    public async Task ResponseUrl_AfterThirtyMinutes_Refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var slack = await FakeSlack.StartAsync(clock);
        var url = slack.NewResponseUrl(Channel);
        clock.Advance(TimeSpan.FromMinutes(31));

        using var late = await PostJsonAsync(url, new JsonObject { ["text"] = "too late" });

        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Contains(slack.Problems, p => p.Contains("min after it was issued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResponseUrl_ReplaceOriginal_EditsTheButtonsMessage()
    {
        var posted = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "Quiz 1" });
        var url = _slack.NewResponseUrl(Channel, "U0STUDENT1", (string?)posted["ts"]);

        using var response = await PostJsonAsync(url, new JsonObject { ["replace_original"] = true, ["text"] = "Quiz 1: answered" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = Assert.Single(_slack.Messages(Channel));
        Assert.Equal(("Quiz 1: answered", 1), (message.Text, message.EditCount));
        Assert.Empty(_slack.Ephemerals);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task InjectRateLimit_RetryAfterAnnounced_EarlyRetryIsAProblem()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var slack = await FakeSlack.StartAsync(clock);
        slack.InjectRateLimit("auth.test", retryAfterSeconds: 2, count: 1);

        using var limited = await PostFormAsync(slack, "auth.test", [], FakeSlack.BotToken);
        using var early = await PostFormAsync(slack, "auth.test", [], FakeSlack.BotToken);
        var problemsAfterEarlyRetry = slack.Problems.Count;
        clock.Advance(TimeSpan.FromSeconds(2));
        using var patient = await PostFormAsync(slack, "auth.test", [], FakeSlack.BotToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, early.StatusCode);
        Assert.Equal(1, problemsAfterEarlyRetry);
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        Assert.Single(slack.Problems);
    }

    [Fact]
    public async Task InjectError_NextCalls_AnswerOkFalseThenRecover()
    {
        _slack.InjectError("chat.postMessage", "fatal_error", 1);

        var failed = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "hi" });
        var recovered = await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "hi" });

        Assert.Equal("fatal_error", (string?)failed["error"]);
        Assert.True((bool)recovered["ok"]!);
        Assert.Empty(_slack.Problems);
    }

    [Theory]
    [InlineData("<!channel> quiz time", false, "<!channel>")]
    [InlineData("&lt;!channel&gt; quiz time", false, null)]
    [InlineData("ask <@U0STUDENT1|ada>", false, "<@U0STUDENT1|ada>")]
    [InlineData("@here is plain text", false, null)]
    [InlineData("@here with link_names", true, "@here")]
    public async Task PostMessage_TopLevelText_PingsOnlyWhatSlackWouldNotify(string text, bool linkNames, string? mention)
    {
        await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = text, ["link_names"] = linkNames });

        Assert.Equal(mention is null ? [] : [mention], _slack.Pings.Select(p => p.Mention));
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 0)]
    public async Task PostMessage_RawHereInMrkdwnBlock_PingsUnlessVerbatim(bool verbatim, int pings)
    {
        var section = new JsonObject
        {
            ["type"] = "section",
            ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "student wrote: @here", ["verbatim"] = verbatim },
        };

        await CallAsync("chat.postMessage", new JsonObject { ["channel"] = Channel, ["text"] = "fallback", ["blocks"] = new JsonArray(section) });

        Assert.Equal(pings, _slack.Pings.Count);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task SocketMode_OpenAndConnect_HelloThenEnvelopeAndAckWithPayload()
    {
        using var socket = await ConnectAsync();
        var hello = await ReceiveAsync(socket);
        await _slack.SocketMode.WaitForConnectionAsync(Wait);
        var responseUrl = _slack.NewResponseUrl(Channel);

        var id = await _slack.SocketMode.SendEnvelopeAsync("slash_commands", SlackPayloads.SlashCommandJson("/tutor", "recursion", responseUrl));
        var envelope = await ReceiveAsync(socket);
        await SendAsync(socket, new JsonObject { ["envelope_id"] = id, ["payload"] = new JsonObject { ["text"] = "Working on it" } });
        var ack = await _slack.SocketMode.WaitForAckAsync(id, Wait);

        Assert.Equal("hello", (string?)hello["type"]);
        Assert.Equal(FakeSlack.AppId, (string?)hello["connection_info"]!["app_id"]);
        Assert.Equal(("slash_commands", id, true), ((string?)envelope["type"], (string?)envelope["envelope_id"], (bool)envelope["accepts_response_payload"]!));
        Assert.Equal("/tutor", (string?)envelope["payload"]!["command"]);
        Assert.Equal("Working on it", (string?)ack.Payload!["text"]);
        Assert.False(ack.Late);
        Assert.Equal((1, 1), (_slack.SocketMode.Opens, _slack.SocketMode.Connections));
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task SocketMode_LateAck_RedeliveredWithRetryAttemptAndProblem()
    {
        _slack.SocketMode.AckDeadline = TimeSpan.FromMilliseconds(200);
        using var socket = await ConnectAsync();
        await ReceiveAsync(socket);

        var id = await _slack.SocketMode.SendEnvelopeAsync("events_api", new JsonObject { ["type"] = "event_callback" }, acceptsResponsePayload: false);
        var first = await ReceiveAsync(socket);
        var again = await ReceiveAsync(socket);
        await SendAsync(socket, new JsonObject { ["envelope_id"] = id });
        var ack = await _slack.SocketMode.WaitForAckAsync(id, Wait);

        Assert.Equal(0, (int)first["retry_attempt"]!);
        Assert.Equal((id, 1, "timeout"), ((string?)again["envelope_id"], (int)again["retry_attempt"]!, (string?)again["retry_reason"]));
        Assert.True(ack.Late);
        Assert.Contains(_slack.Problems, p => p.Contains("not acked within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SocketMode_Drop_UnackedEnvelopeRedeliveredOnNextConnection()
    {
        using var first = await ConnectAsync();
        await ReceiveAsync(first);
        var id = await _slack.SocketMode.SendEnvelopeAsync("interactive", SlackPayloads.BlockAction("quiz_answer", "B", "1700000000.000001", _slack.NewResponseUrl(Channel)));
        await ReceiveAsync(first);

        _slack.SocketMode.Drop();
        await _slack.WaitForAsync(s => !s.SocketMode.IsConnected, Wait);
        using var second = await ConnectAsync();
        var hello = await ReceiveAsync(second);
        var redelivered = await ReceiveAsync(second);

        Assert.Equal("hello", (string?)hello["type"]);
        Assert.Equal((id, 1), ((string?)redelivered["envelope_id"], (int)redelivered["retry_attempt"]!));
        Assert.Equal("quiz_answer", (string?)redelivered["payload"]!["actions"]![0]!["action_id"]);
    }

    [Fact]
    public async Task SocketMode_SendDisconnect_ClientReceivesReason()
    {
        using var socket = await ConnectAsync();
        await ReceiveAsync(socket);

        await _slack.SocketMode.SendDisconnectAsync("refresh_requested");
        var disconnect = await ReceiveAsync(socket);

        Assert.Equal(("disconnect", "refresh_requested"), ((string?)disconnect["type"], (string?)disconnect["reason"]));
    }

    [Fact]
    public async Task SocketMode_MoreConnectionsThanAllowed_NewestToldTooManyWebsockets()
    {
        _slack.SocketMode.MaxConnections = 1;
        using var first = await ConnectAsync();
        await ReceiveAsync(first);

        using var second = await ConnectAsync();
        var hello = await ReceiveAsync(second);
        var disconnect = await ReceiveAsync(second);

        Assert.Equal(2, (int)hello["num_connections"]!);
        Assert.Equal(("disconnect", "too_many_websockets"), ((string?)disconnect["type"], (string?)disconnect["reason"]));
    }

    [Fact]
    public async Task SocketMode_EnvelopeSentWhileDisconnected_DeliveredAfterHelloOnNextConnection()
    {
        var id = await _slack.SocketMode.SendEnvelopeAsync("events_api", new JsonObject { ["type"] = "event_callback" }, acceptsResponsePayload: false);

        using var socket = await ConnectAsync();
        var hello = await ReceiveAsync(socket);
        var envelope = await ReceiveAsync(socket);
        await SendAsync(socket, new JsonObject { ["envelope_id"] = id });
        await _slack.SocketMode.WaitForAckAsync(id, Wait);

        Assert.Equal("hello", (string?)hello["type"]);
        Assert.Equal((id, 1), ((string?)envelope["envelope_id"], (int)envelope["retry_attempt"]!));
        Assert.Empty(_slack.SocketMode.UnackedEnvelopeIds);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task SocketMode_UrlUsedTwice_RefusedAndProblem()
    {
        var open = await CallFormAsync("apps.connections.open", [], FakeSlack.AppToken);
        var url = new Uri((string)open["url"]!);
        using var first = new ClientWebSocket();
        await first.ConnectAsync(url, CancellationToken.None);

        using var second = new ClientWebSocket();
        await Assert.ThrowsAsync<WebSocketException>(() => second.ConnectAsync(url, CancellationToken.None));

        Assert.Contains(_slack.Problems, p => p.Contains("already used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SocketMode_BadAcks_PayloadWhenNotAcceptedAndUnknownIdAreProblems()
    {
        using var socket = await ConnectAsync();
        await ReceiveAsync(socket);
        var id = await _slack.SocketMode.SendEnvelopeAsync("events_api", new JsonObject { ["type"] = "event_callback" }, acceptsResponsePayload: false);
        await ReceiveAsync(socket);

        await SendAsync(socket, new JsonObject { ["envelope_id"] = id, ["payload"] = new JsonObject { ["text"] = "no" } });
        await SendAsync(socket, new JsonObject { ["envelope_id"] = "not-an-envelope" });
        await _slack.WaitForAsync(s => s.SocketMode.Acks.Count == 2, Wait);

        Assert.Equal(2, _slack.Problems.Count);
        Assert.False(_slack.SocketMode.Acks[1].KnownEnvelope);
    }

    private async Task<JsonObject> CallAsync(string method, JsonObject body, string? token = FakeSlack.BotToken, string contentType = "application/json; charset=utf-8")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_slack.ApiBaseUrl, method));
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Http.SendAsync(request);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonObject> CallFormAsync(string method, Dictionary<string, string> form, string? token = FakeSlack.BotToken)
    {
        using var response = await PostFormAsync(_slack, method, form, token);
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpResponseMessage> PostFormAsync(FakeSlack slack, string method, Dictionary<string, string> form, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(slack.ApiBaseUrl, method));
        request.Content = new FormUrlEncodedContent(form);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostJsonAsync(Uri url, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        return await Http.PostAsync(url, content);
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var open = await CallFormAsync("apps.connections.open", [], FakeSlack.AppToken);
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)open["url"]!), CancellationToken.None);
        return socket;
    }

    private static async Task<JsonObject> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (JsonObject)JsonNode.Parse(message.ToArray())!;
    }

    private static Task SendAsync(ClientWebSocket socket, JsonObject frame) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<(string Body, string? ContentType, Dictionary<string, string> Headers)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Add((body, request.Content?.Headers.ContentType?.MediaType, headers));
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
