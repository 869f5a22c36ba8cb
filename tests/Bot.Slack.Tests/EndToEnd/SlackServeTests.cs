using System.Net;
using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Tests.Harness;

namespace Bot.Slack.Tests.EndToEnd;

/// <summary>One real <c>bot serve</c> with Slack over both Socket Mode and HTTP, against the fake Slack.</summary>
public sealed class SlackServeFixture : ServeFixture<FakeSlack>
{
    public const string Channel = "C0GENERAL1";

    public FakeSlack Slack => Platform;

    public SlackSigner Signer { get; } = new();

    public Uri EventsUrl => new(Server.BaseUrl, "/slack/events");

    protected override async Task<FakeSlack> StartPlatformAsync()
    {
        var slack = await FakeSlack.StartAsync();
        slack.AddChannel(Channel);
        return slack;
    }

    protected override Dictionary<string, string> Environment(FakeSlack platform)
    {
        var environment = Shared("Slack", FakeSlack.TeamId, Channel);
        environment["Slack__BotToken"] = FakeSlack.BotToken;
        environment["Slack__AppToken"] = FakeSlack.AppToken;
        environment["Slack__SigningSecret"] = FakeSlack.SigningSecret;
        environment["Slack__ApiBaseUrl"] = platform.ApiBaseUrl.ToString();
        return environment;
    }
}

public class SlackServeTests(SlackServeFixture fixture) : IClassFixture<SlackServeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeSlack Slack => fixture.Slack;

    [Fact]
    public async Task HttpSlashCommand_ExplainClosures_IsAnsweredInTheAckForTheChannel()
    {
        var form = SlackPayloads.SlashCommand("/explain", "closures", Slack.NewResponseUrl(SlackServeFixture.Channel));

        using var response = await fixture.Signer.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, form);
        var ack = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("in_channel", ack["response_type"]!.GetValue<string>());
        Assert.Contains("Closures", ack["blocks"]![0]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ack["text"]!.GetValue<string>()));
    }

    /// <summary>A concept asked for again is acknowledged with the same bytes, written whole with their length.</summary>
    [Fact]
    public async Task HttpSlashCommand_ExplainAskedTwice_IsAcknowledgedWithTheSameBytesAndTheirLength()
    {
        var bodies = new List<byte[]>();
        for (var ask = 0; ask < 2; ask++)
        {
            var form = SlackPayloads.SlashCommand("/explain", "closures", Slack.NewResponseUrl(SlackServeFixture.Channel));
            using var response = await fixture.Signer.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, form);
            var body = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.Equal("in_channel", JsonNode.Parse(body)!["response_type"]!.GetValue<string>());
            bodies.Add(body);
        }

        Assert.Equal(bodies[0], bodies[1]);
    }

    /// <summary>Every interaction ends with one log line naming its trigger_id, the command, how it ended and was delivered.</summary>
    [Fact]
    public async Task HttpSlashCommand_EndsWithOneLogLine_NamingTriggerCommandOutcomeAndDelivery()
    {
        var responseUrl = Slack.NewResponseUrl(SlackServeFixture.Channel);
        var form = SlackPayloads.SlashCommand("/explain", "closures", responseUrl);

        using var response = await fixture.Signer.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, form);
        var marker = $"Slack interaction {form["trigger_id"]}: ";
        for (var attempt = 0; attempt < 80 && !fixture.Server.Log.Contains(marker, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var line = Assert.Single(fixture.Server.Log.Split('\n'), line => line.Contains(marker, StringComparison.Ordinal));
        Assert.Matches(@"explain shown, answered in \d+\.\d ms", line);
        Assert.DoesNotContain(responseUrl.ToString(), fixture.Server.Log, StringComparison.Ordinal);
    }

    /// <summary>99 groups matched 9,000 times: acknowledged within Slack's 3 seconds, in at most a few posts (Slack allows 5 per response_url).</summary>
    [Fact]
    public async Task HttpSlashCommand_HugeRegexFindall_IsAnsweredInAFewPostsInTime()
    {
        var responseUrl = Slack.NewResponseUrl(SlackServeFixture.Channel);
        var pattern = string.Concat(Enumerable.Repeat("(a)", 99)) + "|b";
        var form = SlackPayloads.SlashCommand("/regex-test", $"pattern: {pattern} text: {new string('b', 9_000)} mode: findall", responseUrl);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await fixture.Signer.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, form);
        var acked = started.Elapsed;
        var ack = await response.Content.ReadAsStringAsync();
        // On a busy machine the answer may miss the acknowledgement and go to the response_url instead.
        await Slack.WaitForAsync(fake => ack.Contains("left out", StringComparison.Ordinal) || fake.ResponsePosts(responseUrl).Count > 0, Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(acked < TimeSpan.FromSeconds(3), $"acknowledged after {acked.TotalSeconds:0.0} s");
        Assert.True(Slack.ResponsePosts(responseUrl).Count <= 2, $"{Slack.ResponsePosts(responseUrl).Count} posts to the response_url");
        Assert.Contains("left out", ack + string.Concat(Slack.ResponsePosts(responseUrl).Select(post => post.Body?.ToJsonString())), StringComparison.Ordinal);
        Assert.True(Slack.Problems.Count == 0, string.Join("\n", Slack.Problems));
    }

    [Fact]
    public async Task HttpRequests_ForgedOrStale_AreRefusedWith401()
    {
        var form = SlackPayloads.SlashCommand("/stats", "", Slack.NewResponseUrl(SlackServeFixture.Channel));
        var forger = new SlackSigner("not-the-signing-secret");
        var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600).ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var forged = await forger.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, form);
        using var old = await fixture.Signer.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, form, stale);

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
    }

    [Fact]
    public async Task HttpRequests_AThousandForgedStaleOrMalformed_AreAllRefusedAndNoneAnswered()
    {
        var responseUrl = Slack.NewResponseUrl(SlackServeFixture.Channel);
        using var form = new FormUrlEncodedContent(SlackPayloads.SlashCommand("/stats", "", responseUrl));
        var body = await form.ReadAsStringAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Ts(long seconds) => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var valid = fixture.Signer.Sign(Ts(now), body);
        var forger = new SlackSigner("not-the-signing-secret");
        var refused = 0;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var (timestamp, signature, content) = (attempt % 8) switch
            {
                0 => (Ts(now), forger.Sign(Ts(now), body), body),                         // another secret
                1 => (Ts(now - 600), fixture.Signer.Sign(Ts(now - 600), body), body),    // signed, but 10 minutes old
                2 => (Ts(now + 600), fixture.Signer.Sign(Ts(now + 600), body), body),    // signed, 10 minutes ahead
                3 => (Ts(now), valid, body.Replace("stats", "statz", StringComparison.Ordinal)), // body changed after signing
                4 => (Ts(now + 1), valid, body),                                          // timestamp changed
                5 => (Ts(now), valid[..^2], body),                                        // truncated
                6 => (Ts(now), "v1=" + valid[3..], body),                                 // unknown version
                _ => ("", "", body),                                                      // no signature at all
            };
            using var response = await fixture.Signer.PostAsync(fixture.Server.Http, fixture.EventsUrl, content, "application/x-www-form-urlencoded", timestamp, signature);
            refused += response.StatusCode == HttpStatusCode.Unauthorized ? 1 : 0;
        }

        Assert.Equal(1000, refused);
        Assert.Empty(Slack.ResponsePosts(responseUrl));
    }

    /// <summary>Validly signed, but not what Slack sends: each is refused with 400, none answered, none a server error.</summary>
    [Theory]
    [InlineData("payload", "[]")]
    [InlineData("payload", "null")]
    [InlineData("payload", "5")]
    [InlineData("payload", "\"x\"")]
    [InlineData("payload", "{\"type\":\"\\ud800\"}")]
    [InlineData("payload", "{\"type\":\"block_actions\",\"actions\":[{\"action_id\":\"\\ud800\",\"value\":\"1\"}],\"user\":{\"id\":\"U1\"}}")]
    [InlineData("payload", "{\"type\":\"block_actions\",\"actions\":[{\"action_id\":\"explain:closures\"}],\"user\":{\"id\":\"\\udc00\"}}")]
    [InlineData("payload", "{\"type\":\"block_actions\",\"actions\":[5],\"user\":7}")]
    [InlineData("json", "[]")]
    [InlineData("json", "{\"type\":5}")]
    [InlineData("json", "{\"type\":\"url_verification\",\"challenge\":5}")]
    [InlineData("json", "{\"type\":\"url_verification\",\"challenge\":\"\\ud800\"}")]
    [InlineData("json", "{\"type\":\"url_verification\"")]
    public async Task HttpRequests_SignedButMalformed_AreRefusedWith400(string shape, string json)
    {
        using var response = shape == "payload"
            ? await fixture.Signer.PostFormAsync(fixture.Server.Http, fixture.EventsUrl, new Dictionary<string, string> { ["payload"] = json })
            : await fixture.Signer.PostAsync(fixture.Server.Http, fixture.EventsUrl, json, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task HttpRequests_SignedInvalidUtf8_AreRefusedWith400AndFormFieldsReadAsReplacementCharacters()
    {
        byte[] invalid = [0xC3, 0x28, 0xFF];
        byte[] json = [.. "{\"type\":\"url_verification\",\"challenge\":\""u8, .. invalid, .. "\"}"u8];
        byte[] payload = [.. "payload=%7B%22type%22%3A%22"u8, .. invalid, .. "%22%7D"u8];

        using var jsonResponse = await fixture.Signer.PostBytesAsync(fixture.Server.Http, fixture.EventsUrl, json, "application/json");
        using var payloadResponse = await fixture.Signer.PostBytesAsync(fixture.Server.Http, fixture.EventsUrl, payload, "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, jsonResponse.StatusCode);
        Assert.True(payloadResponse.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"got {(int)payloadResponse.StatusCode}");
    }

    /// <summary>Over Socket Mode a malformed payload is acked without an answer and logged as such, never as an internal failure.</summary>
    [Fact]
    public async Task SocketMode_MalformedPayloads_AreAckedEmptyAndLoggedAsMalformed()
    {
        await Slack.SocketMode.WaitForConnectionAsync(Patience);
        JsonNode[] payloads = [new JsonArray(), JsonValue.Create(5), new JsonObject { ["type"] = "block_actions", ["user"] = 7 }];
        foreach (var payload in payloads)
        {
            var id = await Slack.SocketMode.SendEnvelopeAsync("interactive", payload);
            var ack = await Slack.SocketMode.WaitForAckAsync(id, Patience);
            Assert.Null(ack.Payload);
        }

        var explain = await Slack.SocketMode.SendEnvelopeAsync("slash_commands",
            SlackPayloads.SlashCommandJson("/explain", "closures", Slack.NewResponseUrl(SlackServeFixture.Channel)));
        Assert.NotNull((await Slack.SocketMode.WaitForAckAsync(explain, Patience)).Payload);
        Assert.Contains("not what Slack sends", fixture.Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("the handler failed", fixture.Server.Log, StringComparison.Ordinal);
    }

    /// <summary>The 64 KiB cap is on the body, not on the chunk framing around it.</summary>
    [Theory]
    [InlineData(60 * 1024, HttpStatusCode.OK)]
    [InlineData(70 * 1024, HttpStatusCode.RequestEntityTooLarge)]
    public async Task HttpRequest_Chunked_IsCappedOnItsDecodedSize(int textLength, HttpStatusCode expected)
    {
        var form = SlackPayloads.SlashCommand("/explain", new string('x', textLength), Slack.NewResponseUrl(SlackServeFixture.Channel));
        using var encoded = new FormUrlEncodedContent(form);
        var body = await encoded.ReadAsStringAsync();
        var timestamp = fixture.Signer.Now();
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.EventsUrl);
        request.Content = new SmallChunks(System.Text.Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", fixture.Signer.Sign(timestamp, body));

        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>Slack checks the certificate with an unsigned form; only that form gets an unsigned 200.</summary>
    [Theory]
    [InlineData("ssl_check=1&token=legacy", HttpStatusCode.OK)]
    [InlineData("ssl_check=0&token=legacy", HttpStatusCode.Unauthorized)]
    [InlineData("command=%2Fstats&ssl_check=2", HttpStatusCode.Unauthorized)]
    public async Task UnsignedRequests_OnlySlacksCertificateCheck_IsAnswered(string form, HttpStatusCode expected)
    {
        using var content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await fixture.Server.Http.PostAsync(fixture.EventsUrl, content);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? "" : "invalid request signature", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UrlVerification_EchoesTheChallenge()
    {
        using var response = await fixture.Signer.PostJsonAsync(fixture.Server.Http, fixture.EventsUrl, SlackPayloads.UrlVerification("abc123"));

        Assert.Equal("abc123", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["challenge"]!.GetValue<string>());
    }

    [Fact]
    public async Task SocketMode_QuizThenClicksByTheAskerAndSomeoneElse_ReplaceTheQuestionOrAnswerPrivately()
    {
        const string asker = "U0ASKER001";
        const string other = "U0OTHER001";
        await Slack.SocketMode.WaitForConnectionAsync(Patience);
        var quiz = await Slack.SocketMode.SendEnvelopeAsync("slash_commands",
            SlackPayloads.SlashCommandJson("/quiz", "generators", Slack.NewResponseUrl(SlackServeFixture.Channel), userId: asker));
        var ack = await Slack.SocketMode.WaitForAckAsync(quiz, Patience);
        var answer = ack.Payload!["blocks"]!.AsArray().Last(block => block!["type"]!.GetValue<string>() == "actions")!["elements"]![0]!["action_id"]!.GetValue<string>();
        Assert.StartsWith("quiz:answer:", answer, StringComparison.Ordinal);

        // The in_channel acknowledgement became a message in the channel; the buttons are on it.
        var question = Slack.AddUserMessage(SlackServeFixture.Channel, asker, ack.Payload["text"]!.GetValue<string>());
        var otherUrl = Slack.NewResponseUrl(SlackServeFixture.Channel, other, originalTs: question);
        var askerUrl = Slack.NewResponseUrl(SlackServeFixture.Channel, asker, originalTs: question);
        await Slack.SocketMode.SendEnvelopeAsync("interactive", SlackPayloads.BlockAction(answer, answer, question, otherUrl, userId: other));
        await Slack.SocketMode.SendEnvelopeAsync("interactive", SlackPayloads.BlockAction(answer, answer, question, askerUrl, userId: asker));
        await Slack.WaitForAsync(fake => fake.ResponsePosts(otherUrl).Count > 0 && fake.ResponsePosts(askerUrl).Count > 0, Patience);

        var toOther = Assert.Single(Slack.ResponsePosts(otherUrl)).Body!;
        var toAsker = Assert.Single(Slack.ResponsePosts(askerUrl)).Body!;
        Assert.Equal("ephemeral", toOther["response_type"]!.GetValue<string>());
        Assert.False(toOther["replace_original"]!.GetValue<bool>());
        Assert.True(toAsker["replace_original"]!.GetValue<bool>());
        Assert.Matches("Correct!|Not quite", toAsker.ToJsonString());
        Assert.True(Slack.Problems.Count == 0, string.Join("\n", Slack.Problems));
    }

    [Fact]
    public async Task SocketMode_RegexTestOnMentions_PingsNobody()
    {
        await Slack.SocketMode.WaitForConnectionAsync(Patience);
        var test = await Slack.SocketMode.SendEnvelopeAsync("slash_commands",
            SlackPayloads.SlashCommandJson("/regex-test", "pattern: <[!@]\\w+> text: hi <!channel> and <@U0OTHER001> & <!here>", Slack.NewResponseUrl(SlackServeFixture.Channel)));

        var ack = await Slack.SocketMode.WaitForAckAsync(test, Patience);

        var texts = ack.Payload!["blocks"]!.AsArray().Select(block => block!["text"]?["text"]?.GetValue<string>() ?? "").Append(ack.Payload["text"]!.GetValue<string>()).ToList();
        Assert.Contains(texts, text => text.Contains("&lt;!channel&gt;", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, text => text.Contains("<!channel>", StringComparison.Ordinal) || text.Contains("<@U0OTHER001>", StringComparison.Ordinal));
        Assert.Empty(Slack.Pings);
    }

    [Fact]
    public async Task Readyz_ReportsSlackConnected_AndTokensNeverReachTheLog()
    {
        using var ready = await fixture.Server.Http.GetAsync(new Uri(fixture.Server.BaseUrl, "/readyz"));
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body["checks"]!["slack"]!["status"]!.GetValue<string>());
        Assert.DoesNotContain(FakeSlack.BotToken, fixture.Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSlack.AppToken, fixture.Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("/hooks/", fixture.Server.Log, StringComparison.Ordinal);
    }
}

/// <summary>
/// The daily quiz on its own bot: its question is revealed a few seconds after start, so it must not
/// wait behind the other tests of a shared server.
/// </summary>
public class SlackDailyQuizServeTests(SlackServeFixture fixture) : IClassFixture<SlackServeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeSlack Slack => fixture.Slack;

    [Fact]
    public async Task DailyQuiz_PostedOnceWithMetadata_AnswersArePrivateUntilTheRevealEditsThePostAndRepliesInTheThread()
    {
        await Slack.WaitForAsync(fake => fake.Messages(SlackServeFixture.Channel).Any(message => message.Metadata is not null), Patience);
        var post = Assert.Single(Slack.Messages(SlackServeFixture.Channel), message => message.Metadata is not null);
        Assert.Equal("tutor_daily_quiz", post.Metadata!["event_type"]!.GetValue<string>());
        var answer = post.Blocks!.Last(block => block!["type"]!.GetValue<string>() == "actions")!["elements"]![0]!["action_id"]!.GetValue<string>();

        var responseUrl = Slack.NewResponseUrl(SlackServeFixture.Channel, "U0DAILY001", originalTs: post.Ts);
        await Slack.SocketMode.WaitForConnectionAsync(Patience);
        await Slack.SocketMode.SendEnvelopeAsync("interactive", SlackPayloads.BlockAction(answer, answer, post.Ts, responseUrl, userId: "U0DAILY001"));
        await Slack.WaitForAsync(fake => fake.ResponsePosts(responseUrl).Count > 0, Patience);
        await Slack.WaitForAsync(fake => fake.Messages(SlackServeFixture.Channel).Single(message => message.Ts == post.Ts) is { EditCount: > 0, Replies.Count: > 0 }, TimeSpan.FromSeconds(40));

        var recorded = Assert.Single(Slack.ResponsePosts(responseUrl)).Body!;
        Assert.Equal("ephemeral", recorded["response_type"]!.GetValue<string>());
        Assert.Contains("Answer recorded", recorded.ToJsonString(), StringComparison.Ordinal);
        var revealed = Slack.Messages(SlackServeFixture.Channel).Single(message => message.Ts == post.Ts);
        Assert.Contains("(answer)", revealed.Text, StringComparison.Ordinal);
        Assert.Single(revealed.Replies);
        Assert.True(Slack.Problems.Count == 0, string.Join("\n", Slack.Problems));
    }
}
