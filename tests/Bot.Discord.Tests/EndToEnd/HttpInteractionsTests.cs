using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;
using Bot.Tests.Harness;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary>One real <c>bot serve</c> in HTTP-interactions mode against the fake Discord, shared by the tests below.</summary>
public sealed class HttpServeFixture : ServeFixture<FakeDiscord>
{
    public const string DailyGuild = "1000000000000000007";
    public const string DailyChannel = "1000000000000000008";

    public FakeDiscord Discord => Platform;

    public InteractionSigner Signer { get; } = new();

    protected override async Task<FakeDiscord> StartPlatformAsync()
    {
        var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(DailyChannel, DailyGuild);
        return discord;
    }

    protected override Dictionary<string, string> Environment(FakeDiscord platform)
    {
        var environment = Shared("Discord", DailyGuild, DailyChannel);
        foreach (var (key, value) in DiscordServe.Environment(platform, "Http", Signer))
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Registers <paramref name="payload"/> with the fake, sends it signed, and returns the interaction with the bot's answer recorded.</summary>
    public async Task<FakeInteraction> SendAsync(JsonObject payload)
    {
        var interaction = Discord.NewInteraction(payload);
        using var response = await Signer.SendAndRecordAsync(Discord, Server.Http, Server.InteractionsUrl(), interaction);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{Server.Log}");
        return interaction;
    }
}

public class HttpInteractionsTests(HttpServeFixture fixture) : IClassFixture<HttpServeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeDiscord Discord => fixture.Discord;

    [Fact]
    public async Task Start_RegistersEveryCommandAndReportsReady()
    {
        Assert.Equal(["explain", "help", "leaderboard", "quiz", "regex-test", "stats"], Discord.GlobalCommands.Select(command => command["name"]!.GetValue<string>()).Order());
        using var ready = await fixture.Server.Http.GetAsync(new Uri(fixture.Server.BaseUrl, "/readyz"));
        var body = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body["checks"]!["discord"]!["status"]!.GetValue<string>());
        Assert.Contains("oauth2/authorize?client_id=" + FakeDiscord.ApplicationId + "&scope=bot%20applications.commands&permissions=", fixture.Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeDiscord.BotToken, fixture.Server.Log, StringComparison.Ordinal);
    }

    /// <summary>A concept's answer is the same message each time; it goes out whole, with its length, and identical.</summary>
    [Fact]
    public async Task ExplainAskedTwice_IsAnsweredWithTheSameBytesAndTheirLength()
    {
        var bodies = new List<byte[]>();
        for (var ask = 0; ask < 2; ask++)
        {
            var interaction = fixture.Discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
            using var response = await fixture.Signer.SendAndRecordAsync(fixture.Discord, fixture.Server.Http, fixture.Server.InteractionsUrl(), interaction);
            var body = await response.Content.ReadAsByteArrayAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
            Assert.Equal(body.Length, response.Content.Headers.ContentLength);
            Assert.Equal(4, JsonNode.Parse(body)!["type"]!.GetValue<int>());
            bodies.Add(body);
        }

        Assert.Equal(bodies[0], bodies[1]);
        Assert.Empty(fixture.Discord.Problems);
    }

    [Fact]
    public async Task Ping_IsAnsweredWithPong()
    {
        var ping = await fixture.SendAsync(InteractionPayloads.Ping());

        Assert.Equal(1, ping.InitialResponse!["type"]!.GetValue<int>());
    }

    [Fact]
    public async Task ExplainClosures_AnswersInlineWithTheConceptAndPingsNobody()
    {
        var explain = await fixture.SendAsync(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));

        Assert.Equal("inline", explain.InitialVia);
        Assert.Equal(4, explain.InitialResponse!["type"]!.GetValue<int>());
        var embed = explain.Original!["embeds"]![0]!;
        Assert.Equal("Closures", embed["title"]!.GetValue<string>());
        Assert.Empty(explain.InitialResponse["data"]!["allowed_mentions"]!["parse"]!.AsArray());
        Assert.DoesNotContain(explain.Token, fixture.Server.Log, StringComparison.Ordinal);
        AssertNoProblems();
    }

    [Fact]
    public async Task Autocomplete_PartOfATopic_OffersTheConceptFirst()
    {
        var complete = await fixture.SendAsync(InteractionPayloads.Autocomplete("explain", "topic", "clo"));

        Assert.Equal(8, complete.InitialResponse!["type"]!.GetValue<int>());
        var choices = complete.InitialResponse["data"]!["choices"]!.AsArray();
        Assert.InRange(choices.Count, 1, 25);
        Assert.Equal("closures", choices[0]!["value"]!.GetValue<string>());
        AssertNoProblems();
    }

    [Fact]
    public async Task Quiz_AskerClickUpdatesTheQuestion_OthersGetAPrivateAnswer()
    {
        const string asker = "900000000000000011";
        const string other = "900000000000000012";
        var quiz = await fixture.SendAsync(InteractionPayloads.SlashCommand("quiz", [("topic", 3, "generators")], userId: asker));
        var buttons = quiz.Original!["components"]![0]!["components"]!.AsArray();
        var firstChoice = buttons[0]!["custom_id"]!.GetValue<string>();
        Assert.StartsWith("quiz:answer:", firstChoice, StringComparison.Ordinal);
        var messageId = quiz.Original["id"]?.GetValue<string>() ?? "1400000000000000009";

        var byOther = await fixture.SendAsync(InteractionPayloads.ButtonClick(firstChoice, messageId, userId: other));
        var byAsker = await fixture.SendAsync(InteractionPayloads.ButtonClick(firstChoice, messageId, userId: asker));
        var again = await fixture.SendAsync(InteractionPayloads.ButtonClick(firstChoice, messageId, userId: asker));

        Assert.Equal(4, byOther.InitialResponse!["type"]!.GetValue<int>());
        Assert.Equal(64, byOther.InitialResponse["data"]!["flags"]!.GetValue<int>() & 64);
        Assert.Equal(7, byAsker.InitialResponse!["type"]!.GetValue<int>());
        Assert.Matches("Correct!|Not quite", byAsker.InitialResponse["data"]!["embeds"]![0]!["title"]!.GetValue<string>());
        // The first answer counts: a second press is told so, privately, and changes nothing.
        Assert.Equal(64, again.InitialResponse!["data"]!["flags"]!.GetValue<int>() & 64);
        Assert.Contains("first answer counts", again.InitialResponse["data"]!.ToJsonString(), StringComparison.Ordinal);
        AssertNoProblems();
    }

    [Fact]
    public async Task RegexTest_TextWithEveryoneAndAUserMention_PingsNobody()
    {
        var test = await fixture.SendAsync(InteractionPayloads.SlashCommand("regex-test",
            [("pattern", 3, @"@\w+"), ("text", 3, "hi @everyone and @here and <@900000000000000001>"), ("mode", 3, "findall")]));

        Assert.Equal(4, test.InitialResponse!["type"]!.GetValue<int>());
        Assert.Contains("@everyone", test.InitialResponse.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(Discord.Pings);
        AssertNoProblems();
    }

    /// <summary>99 groups matched 9,900 times: the answer is one message and at most one follow-up, not a thousand.</summary>
    [Fact]
    public async Task RegexTest_HugeFindall_IsAnsweredInAFewMessages()
    {
        var pattern = string.Concat(Enumerable.Repeat("(a)", 99)) + "|b";
        var text = string.Join('\n', Enumerable.Repeat(new string('b', 99), 100));

        var test = await fixture.SendAsync(InteractionPayloads.SlashCommand("regex-test", [("pattern", 3, pattern), ("text", 3, text), ("mode", 3, "findall")]));
        // On a busy machine the work may take longer than the bot waits before it defers; then the answer is an edit.
        await Discord.WaitForAsync(_ => !test.IsStillLoading, Patience);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.True(test.InitialResponse!["type"]!.GetValue<int>() is 4 or 5);
        Assert.True(test.Followups.Count <= 1, $"{test.Followups.Count} follow-ups");
        Assert.Contains("left out", test.InitialResponse.ToJsonString() + test.Original?.ToJsonString() + string.Concat(test.Followups.Select(message => message.ToJsonString())), StringComparison.Ordinal);
        AssertNoProblems();
    }

    [Fact]
    public async Task RegexTest_InvalidPattern_AnswersPrivatelyWithPythonsError()
    {
        var test = await fixture.SendAsync(InteractionPayloads.SlashCommand("regex-test", [("pattern", 3, "(a"), ("text", 3, "aaa")]));

        Assert.Equal(64, test.InitialResponse!["data"]!["flags"]!.GetValue<int>() & 64);
        Assert.Contains("missing ), unterminated subpattern", test.InitialResponse.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedStaleOrMalformedRequests_AreAllRefusedAndNoneReachesCore()
    {
        var genuine = Discord.NewInteraction(InteractionPayloads.SlashCommand("stats", []));
        var body = genuine.Payload.ToJsonString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stale = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var validSignature = fixture.Signer.Sign(now, body);
        var otherKey = new InteractionSigner(Enumerable.Range(1, 32).Select(value => (byte)value).ToArray());
        var logBefore = fixture.Server.Log.Length;
        var refused = 0;
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Server.InteractionsUrl());
            var (timestamp, signature, content) = (attempt % 8) switch
            {
                0 => (now, otherKey.Sign(now, body), body),                              // another key
                1 => (stale, fixture.Signer.Sign(stale, body), body),                      // correctly signed but 10 minutes old
                2 => (now, validSignature, body.Replace("stats", "statz", StringComparison.Ordinal)), // body changed after signing
                3 => ((DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), validSignature, body), // timestamp changed
                4 => (now, validSignature[..^2], body),                                     // truncated signature
                5 => (now, "zz" + validSignature[2..], body),                               // not hex
                6 => ("yesterday", fixture.Signer.Sign("yesterday", body), body),          // timestamp not a number
                _ => (null, null, body),                                                    // no headers at all
            };
            request.Content = new StringContent(content, Encoding.UTF8, "application/json");
            if (timestamp is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);
                request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", signature);
            }

            using var response = await fixture.Server.Http.SendAsync(request);
            refused += response.StatusCode == HttpStatusCode.Unauthorized ? 1 : 0;
        }

        Assert.Equal(1000, refused);
        Assert.Null(Discord.Interaction(genuine.Id).InitialResponse);
        Assert.DoesNotContain($"Discord interaction {genuine.Id}", fixture.Server.Log[logBefore..], StringComparison.Ordinal);
    }

    /// <summary>A lone surrogate in a string option or an autocomplete value is read as an unknown word: the command still answers.</summary>
    [Theory]
    [InlineData("explain")]
    [InlineData("autocomplete")]
    public async Task SignedInteraction_LoneSurrogateInAnOption_IsAnsweredNormally(string kind)
    {
        var payload = kind == "explain"
            ? InteractionPayloads.SlashCommand("explain", [("topic", 3, "LONE-SURROGATE")])
            : InteractionPayloads.Autocomplete("explain", "topic", "LONE-SURROGATE");
        var body = Discord.NewInteraction(payload).Payload.ToJsonString().Replace("LONE-SURROGATE", "clo\\ud800", StringComparison.Ordinal);
        var logBefore = fixture.Server.Log.Length;

        using var response = await fixture.Signer.SendAsync(fixture.Server.Http, fixture.Server.InteractionsUrl(), body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(kind == "explain" ? 4 : 8, answer["type"]!.GetValue<int>());
        Assert.DoesNotContain("fail", fixture.Server.Log[logBefore..], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Signed, but not answerable or not what Discord sends: a clear 400, or an ordinary answer, never a server error.</summary>
    [Theory]
    [InlineData("token-empty", 400)]
    [InlineData("token-null", 400)]
    [InlineData("id-empty", 400)]
    [InlineData("options-null-element", 200)]
    public async Task SignedInteraction_Malformed_GetsAClearAnswer(string shape, int status)
    {
        var payload = Discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")])).Payload;
        switch (shape)
        {
            case "token-empty": payload["token"] = ""; break;
            case "token-null": payload["token"] = null; break;
            case "id-empty": payload["id"] = ""; break;
            default: payload["data"]!["options"] = new JsonArray((JsonNode?)null); break;
        }

        var logBefore = fixture.Server.Log.Length;
        using var response = await fixture.Signer.SendAsync(fixture.Server.Http, fixture.Server.InteractionsUrl(), payload.ToJsonString());

        Assert.Equal(status, (int)response.StatusCode);
        Assert.DoesNotContain("fail", fixture.Server.Log[logBefore..], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A button id with a line break cannot forge a log line, and a long one cannot make a long line.</summary>
    [Fact]
    public async Task ButtonId_WithNewlinesOrHuge_IsLoggedEscapedAndClipped()
    {
        var logBefore = fixture.Server.Log.Length;

        await fixture.SendAsync(InteractionPayloads.ButtonClick("x\n[12:00:00 ERR] forged line", "1000000000000000099"));
        var huge = await fixture.SendAsync(InteractionPayloads.ButtonClick(new string('y', 50_000), "1000000000000000099"));
        await LogLineAsync(huge.Id);

        var lines = fixture.Server.Log[logBefore..].Split('\n');
        Assert.DoesNotContain(lines, line => line.StartsWith("[12:00:00 ERR] forged", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("x\\n[12:00:00 ERR] forged line", StringComparison.Ordinal));
        Assert.All(lines, line => Assert.True(line.Length < 1_000, $"a log line of {line.Length} characters"));
    }

    /// <summary>The 64 KiB cap is on the body, not on the chunk framing around it.</summary>
    [Theory]
    [InlineData(60 * 1024, HttpStatusCode.OK)]
    [InlineData(70 * 1024, HttpStatusCode.RequestEntityTooLarge)]
    public async Task SignedInteraction_Chunked_IsCappedOnItsDecodedSize(int topicLength, HttpStatusCode expected)
    {
        var body = Discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, new string('x', topicLength))])).Payload.ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Server.InteractionsUrl());
        request.Content = new SmallChunks(Encoding.UTF8.GetBytes(body), "application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", fixture.Signer.Sign(timestamp, body));
        request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);

        using var response = await fixture.Server.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>/metrics counts commands and /explain outcomes by fixed labels, with nothing of the request in them.</summary>
    [Fact]
    public async Task Metrics_AfterAnExplain_CountItByPlatformCommandAndOutcome()
    {
        var explain = await fixture.SendAsync(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")], userId: "900000000000000077"));
        var metrics = "";
        for (var attempt = 0; attempt < 80 && !(metrics.Contains("tutor_explain_lookups_total", StringComparison.Ordinal) && metrics.Contains("tutor_daily_posts_total", StringComparison.Ordinal)); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            metrics = await fixture.Server.Http.GetStringAsync(new Uri(fixture.Server.BaseUrl, "/metrics"));
        }

        var lines = metrics.Split('\n');
        Assert.Contains(lines, line => line.StartsWith("tutor_commands_total{", StringComparison.Ordinal)
            && line.Contains("platform=\"discord\"", StringComparison.Ordinal) && line.Contains("command=\"explain\"", StringComparison.Ordinal)
            && line.Contains("outcome=\"ok\"", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("tutor_explain_lookups_total{", StringComparison.Ordinal) && line.Contains("outcome=\"shown\"", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("tutor_command_duration_seconds_bucket{", StringComparison.Ordinal));
        // The fixture's daily question went out at start.
        Assert.Contains(lines, line => line.StartsWith("tutor_daily_posts_total{", StringComparison.Ordinal)
            && line.Contains("platform=\"discord\"", StringComparison.Ordinal) && line.Contains("state=\"posted\"", StringComparison.Ordinal));
        // Registering the commands at start went to Discord's API.
        Assert.Contains(lines, line => line.StartsWith("tutor_platform_requests_total{", StringComparison.Ordinal)
            && line.Contains("platform=\"discord\"", StringComparison.Ordinal) && line.Contains("status=\"2xx\"", StringComparison.Ordinal));
        Assert.DoesNotContain(explain.Token, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("900000000000000077", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("closures", metrics, StringComparison.Ordinal);
    }

    /// <summary>Every interaction ends with one line: its id, the command, how it ended and was delivered, and how long it took.</summary>
    [Fact]
    public async Task Interactions_EachEndWithOneLogLine_NamingIdCommandOutcomeAndDelivery()
    {
        var explain = await fixture.SendAsync(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
        var unknown = await fixture.SendAsync(InteractionPayloads.SlashCommand("explain", [("topic", 3, "qwzxv plonk")]));
        var ping = await fixture.SendAsync(InteractionPayloads.Ping());

        var explained = await LogLineAsync(explain.Id);
        Assert.Matches(@$"Discord interaction {explain.Id}: explain shown, answered in \d+\.\d ms", explained);
        Assert.Matches(@$"Discord interaction {unknown.Id}: explain (none|unsure), answered in", await LogLineAsync(unknown.Id));
        Assert.Matches(@$"Discord interaction {ping.Id}: ping ok, answered in", await LogLineAsync(ping.Id));
        Assert.DoesNotContain(explain.Token, fixture.Server.Log, StringComparison.Ordinal);
    }

    private async Task<string> LogLineAsync(string interactionId)
    {
        var marker = $"Discord interaction {interactionId}: ";
        for (var attempt = 0; attempt < 80 && !fixture.Server.Log.Contains(marker, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        var lines = fixture.Server.Log.Split('\n').Where(line => line.Contains(marker, StringComparison.Ordinal)).ToList();
        return Assert.Single(lines);
    }

    [Fact]
    public async Task OversizedBody_IsRefusedBeforeVerification()
    {
        using var content = new StringContent(new string('x', 200_000), Encoding.UTF8, "application/json");
        using var response = await fixture.Server.Http.PostAsync(fixture.Server.InteractionsUrl(), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private void AssertNoProblems() => Assert.True(Discord.Problems.Count == 0, string.Join("\n", Discord.Problems));
}

/// <summary>
/// The daily quiz on its own bot: its question is revealed a few seconds after start, so it must not
/// wait behind the other tests of a shared server.
/// </summary>
public class HttpDailyQuizTests(HttpServeFixture fixture) : IClassFixture<HttpServeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeDiscord Discord => fixture.Discord;

    [Fact]
    public async Task DailyQuiz_PostedOnce_AnswersArePrivateUntilTheRevealEditsThePost()
    {
        await Discord.WaitForAsync(discord => discord.Messages(HttpServeFixture.DailyChannel).Count > 0, Patience);
        var post = Assert.Single(Discord.Messages(HttpServeFixture.DailyChannel));
        Assert.NotNull(post.Nonce);
        var answer = post.Current["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>();

        var click = await fixture.SendAsync(InteractionPayloads.ButtonClick(answer, post.Id, userId: "900000000000000031",
            guildId: HttpServeFixture.DailyGuild, channelId: HttpServeFixture.DailyChannel));
        await Discord.WaitForAsync(_ => post.EditCount > 0, TimeSpan.FromSeconds(40));

        Assert.Equal(4, click.InitialResponse!["type"]!.GetValue<int>());
        Assert.Equal(64, click.InitialResponse["data"]!["flags"]!.GetValue<int>() & 64);
        Assert.Contains("Answer recorded", click.InitialResponse.ToJsonString(), StringComparison.Ordinal);
        var revealed = Assert.Single(Discord.Messages(HttpServeFixture.DailyChannel)).Current.ToJsonString();
        Assert.Contains("(answer)", revealed, StringComparison.Ordinal);
        Assert.Contains("1 answer,", revealed, StringComparison.Ordinal);
        Assert.DoesNotContain("quiz:answer:", revealed, StringComparison.Ordinal);
        AssertNoProblems();
    }

    private void AssertNoProblems() => Assert.True(Discord.Problems.Count == 0, string.Join("\n", Discord.Problems));
}
