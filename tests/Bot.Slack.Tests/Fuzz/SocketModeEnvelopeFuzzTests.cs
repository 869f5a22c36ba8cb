using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Adapters;
using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Slack.Rendering;
using Bot.Slack.SocketMode;
using Bot.Slack.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Slack.Tests.Fuzz;

/// <summary>
/// Socket Mode envelopes (<c>slash_commands</c>, <c>interactive</c> button presses, menu choices and option
/// requests, <c>events_api</c>) with mutated payloads, sent over a loopback WebSocket to the real
/// <see cref="SocketModeClient"/> as the Slack adapter registers it (its handler, the pipeline, Core with the real
/// course, the Web API client), which answers on <c>response_url</c>s of a loopback <see cref="FakeSlack"/>. Payloads
/// are mutated by <see cref="JsonMutations"/> (values of other kinds, fields removed or added, text that is huge,
/// empty, full of control characters or a lone surrogate, JSON cut short); hand-made frames cover the envelope itself.
/// Whatever arrives: every envelope the client can read is acked exactly once within Slack's 3 seconds with
/// <c>{"envelope_id"}</c> and a payload only where the envelope accepts one, that payload is valid Block Kit (or valid
/// options) that pings nobody, nothing is logged at error level, the connection is never dropped, and the fake's
/// <c>Problems</c> and <c>Pings</c> stay empty. Seeded: a failure names the case.
/// </summary>
public class SocketModeEnvelopeFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 3_000;

    /// <summary>Envelopes sent before their acks and answers are awaited and checked.</summary>
    private const int Window = 16;

    [Theory]
    [InlineData(20261207)]
    public async Task MutatedEnvelopes_AreAckedOnceWithoutAnErrorOrAnAnswerOutsideTheLimits(int seed)
    {
        await using var bot = await SocketModeFuzzBot.StartAsync();
        var mutations = new JsonMutations(seed);
        var random = new Random(seed);
        var failures = new List<string>();
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var window = new List<EnvelopeCase>();
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; attempt < Mutations; attempt++)
        {
            var (type, name, payload, accepts) = Template(random, bot);
            var frame = SocketModeFuzzBot.Envelope($"fuzz-{attempt.ToString(CultureInfo.InvariantCulture)}-{random.Next():x8}", type, mutations.Mutate(payload), accepts);
            var sent = await bot.SendAsync($"case {attempt} ({name})", frame);
            kinds[sent.ExpectedAcks > 0 ? "acked" : "not an envelope"] = kinds.GetValueOrDefault(sent.ExpectedAcks > 0 ? "acked" : "not an envelope") + 1;
            window.Add(sent);
            if (window.Count == Window)
            {
                await bot.CheckAsync(window, failures);
                window.Clear();
            }
        }

        await bot.CheckAsync(window, failures);
        bot.CheckConnection(failures);
        output.WriteLine($"{Mutations} envelopes in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {string.Join(", ", kinds.OrderBy(kind => kind.Key))}; "
            + $"{bot.AcksWithPayload} acks with a payload, {bot.Slack.Requests.Count} requests to the fake Slack; log: {bot.LogSummary()}");
        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {seed}):\n{string.Join('\n', failures.Take(12).Select(Clip))}");
        Assert.True(kinds.GetValueOrDefault("acked") > Mutations * 3 / 4, string.Join(", ", kinds));
    }

    [Fact]
    public async Task HandMadeFrames_AreAckedOnceWithoutAnErrorOrAnAnswerOutsideTheLimits()
    {
        await using var bot = await SocketModeFuzzBot.StartAsync();
        var failures = new List<string>();
        var cases = new List<EnvelopeCase>();
        foreach (var (label, frame) in HandMade(bot))
        {
            cases.Add(await bot.SendAsync(label, frame));
            if (cases.Count == Window)
            {
                await bot.CheckAsync(cases, failures);
                cases.Clear();
            }
        }

        await bot.CheckAsync(cases, failures);
        bot.CheckConnection(failures);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n{string.Join('\n', failures.Take(12).Select(Clip))}");
    }

    /// <summary>
    /// Found by this fuzz: a frame whose envelope_id, type or retry_reason is a JSON string that is not valid UTF-16 (a
    /// lone surrogate escape) makes SocketModeClient.StringProperty throw InvalidOperationException out of OnMessage;
    /// the read loop logs it as an unexpected failure (error) and drops the connection, losing every envelope in
    /// flight on it until Slack redelivers them. Slack does not send such frames.
    /// </summary>
    [Theory]
    [InlineData("{\"envelope_id\":\"\\ud800\",\"type\":\"events_api\",\"payload\":{}}")]
    [InlineData("{\"envelope_id\":\"hm-type-surrogate\",\"type\":\"x\\udfff\",\"payload\":{}}")]
    [InlineData("{\"envelope_id\":\"hm-reason-surrogate\",\"type\":\"events_api\",\"payload\":{},\"retry_attempt\":1,\"retry_reason\":\"\\ud800\"}")]
    public async Task FrameWithInvalidText_IsSkippedWithoutDroppingTheConnection(string frame)
    {
        await using var bot = await SocketModeFuzzBot.StartAsync();
        var failures = new List<string>();

        await bot.SendRawAsync(frame);
        var next = await bot.SendAsync("the next envelope", SocketModeFuzzBot.Envelope("after-invalid-text", "events_api", "{}", false));

        Assert.True(await bot.AckedAsync(next, TimeSpan.FromSeconds(5)), "the next envelope was not acked");
        bot.CheckConnection(failures);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Empty(bot.Errors());
    }

    /// <summary>
    /// Found by this fuzz: a response_url that is an absolute URI but not http(s) (on Linux even <c>/hooks/x</c>, read
    /// as <c>file:///hooks/x</c>) is taken by the payload reader, then refused by the Web API client with
    /// ArgumentException, which the pipeline logs as an error; a missing or unreadable response_url is a warning.
    /// Slack always sends https URLs, so only the log level is at stake.
    /// </summary>
    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://127.0.0.1/hooks/x")]
    [InlineData("/hooks/x")]
    public async Task ButtonWithAResponseUrlThatIsNotHttp_IsAWarningNotAnError(string responseUrl)
    {
        await using var bot = await SocketModeFuzzBot.StartAsync();
        var failures = new List<string>();
        var payload = SlackPayloads.BlockAction("explain:closures", "explain:closures", bot.OriginalTs, new Uri("https://hooks.slack.invalid/x"));
        payload["response_url"] = responseUrl;

        var sent = await bot.SendAsync("button", SocketModeFuzzBot.Envelope("not-http", "interactive", payload.ToJsonString(), false));
        await bot.CheckAsync([sent], failures);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>A random envelope template as Slack sends it, with a fresh response_url; option and command text sometimes random.</summary>
    private static (string Type, string Name, JsonObject Payload, bool AcceptsResponsePayload) Template(Random random, SocketModeFuzzBot bot)
    {
        var user = random.Next(3) == 0 ? "U0STUDENT2" : SlackPayloads.DefaultUserId;
        var channel = SlackPayloads.DefaultChannelId;
        string Text() => TransportText.WellFormed(random.Next(3) == 0 ? FuzzText.Text(random) : "closures");
        switch (random.Next(12))
        {
            case 0 or 1 or 2 or 3 or 4:
                var command = random.Next(8) switch
                {
                    0 => "/quiz",
                    1 => "/regex-test",
                    2 => "/help",
                    3 => "/stats",
                    4 => "/leaderboard",
                    5 => "/frobnicate",
                    _ => "/explain",
                };
                var text = command == "/regex-test" ? TransportText.WellFormed(FuzzText.RegexArgument(random)) : command == "/quiz" && random.Next(2) == 0 ? "" : Text();
                return ("slash_commands", command, SlackPayloads.SlashCommandJson(command, text, bot.Slack.NewResponseUrl(channel), user, channel), true);
            case 5 or 6 or 7:
                var action = random.Next(5) switch
                {
                    0 => "quiz:next",
                    1 => "quiz:topic:generators",
                    2 or 3 => string.Create(CultureInfo.InvariantCulture, $"quiz:answer:{random.Next(1, 40)}:{random.Next(0, 4)}"),
                    _ => "explain:" + (random.Next(2) == 0 ? "closures" : Text()),
                };
                return ("interactive", "button", SlackPayloads.BlockAction(action, action, bot.OriginalTs, bot.Slack.NewResponseUrl(channel, user, bot.OriginalTs), user, channel), false);
            case 8:
                return ("interactive", "menu", SlackPayloads.MenuChoice("menu:0", "Closures", random.Next(2) == 0 ? "explain:closures" : "explain:" + Text(), bot.OriginalTs,
                    bot.Slack.NewResponseUrl(channel, user, bot.OriginalTs), user, channel), false);
            case 9 or 10:
                return ("interactive", "suggestion", SlackPayloads.BlockSuggestion("topic", random.Next(2) == 0 ? "clo" : Text(), user, channel), true);
            default:
                return ("events_api", "event", EventCallback(Text()), false);
        }
    }

    private static JsonObject EventCallback(string text) => new()
    {
        ["token"] = SlackPayloads.VerificationToken,
        ["team_id"] = FakeSlack.TeamId,
        ["api_app_id"] = FakeSlack.AppId,
        ["event"] = new JsonObject
        {
            ["type"] = "app_mention",
            ["user"] = SlackPayloads.DefaultUserId,
            ["text"] = $"<@{FakeSlack.BotUserId}> {text}",
            ["ts"] = "1700000000.000200",
            ["channel"] = SlackPayloads.DefaultChannelId,
            ["event_ts"] = "1700000000.000200",
        },
        ["type"] = "event_callback",
        ["event_id"] = "Ev0FUZZ01",
        ["event_time"] = 1_700_000_000,
    };

    /// <summary>Frames built by hand: what is not an envelope, envelopes of every odd shape, payloads mutation rarely reaches, a redelivery.</summary>
    private static IEnumerable<(string Label, string Frame)> HandMade(SocketModeFuzzBot bot)
    {
        var slash = SlackPayloads.SlashCommandJson("/explain", "closures", bot.Slack.NewResponseUrl(SlackPayloads.DefaultChannelId)).ToJsonString();
        var button = SlackPayloads.BlockAction("explain:closures", "explain:closures", bot.OriginalTs, bot.Slack.NewResponseUrl(SlackPayloads.DefaultChannelId, SlackPayloads.DefaultUserId, bot.OriginalTs)).ToJsonString();
        string Slash(string command, string text) => SlackPayloads.SlashCommandJson(command, text, bot.Slack.NewResponseUrl(SlackPayloads.DefaultChannelId)).ToJsonString();
        string WithField(string json, string name, string value) => json[..^1] + $",\"{name}\":{value}}}";
        var frames = new List<(string, string)>
        {
            ("empty frame", ""),
            ("white space", "   "),
            ("JSON cut short", "{\"envelope_id\":\"x\",\"type\":\"slash_commands\",\"payload\":{"),
            ("an array", "[]"),
            ("a string", "\"envelope\""),
            ("a number", "1"),
            ("null", "null"),
            ("no envelope_id", "{\"type\":\"slash_commands\",\"payload\":" + slash + "}"),
            ("envelope_id a number", "{\"envelope_id\":1,\"type\":\"slash_commands\",\"payload\":" + slash + "}"),
            ("envelope_id null", "{\"envelope_id\":null,\"type\":\"slash_commands\",\"payload\":" + slash + "}"),
            ("envelope_id empty", "{\"envelope_id\":\"\",\"type\":\"slash_commands\",\"payload\":" + Slash("/help", "") + ",\"accepts_response_payload\":true}"),
            ("envelope_id huge", "{\"envelope_id\":\"" + new string('e', 20_000) + "\",\"type\":\"events_api\",\"payload\":{}}"),
            ("no type", "{\"envelope_id\":\"hm-no-type\",\"payload\":" + slash + "}"),
            ("type a number", "{\"envelope_id\":\"hm-type-number\",\"type\":7,\"payload\":" + slash + "}"),
            ("type unknown", "{\"envelope_id\":\"hm-type-unknown\",\"type\":\"shortcut\",\"payload\":" + slash + ",\"accepts_response_payload\":true}"),
            ("type hello with an id", "{\"envelope_id\":\"hm-hello\",\"type\":\"hello\"}"),
            ("no payload", "{\"envelope_id\":\"hm-no-payload\",\"type\":\"slash_commands\",\"accepts_response_payload\":true}"),
            ("no interactive payload", "{\"envelope_id\":\"hm-no-payload-2\",\"type\":\"interactive\"}"),
            ("payload null", "{\"envelope_id\":\"hm-payload-null\",\"type\":\"slash_commands\",\"payload\":null,\"accepts_response_payload\":true}"),
            ("payload an array", "{\"envelope_id\":\"hm-payload-array\",\"type\":\"interactive\",\"payload\":[" + button + "]}"),
            ("payload a string", "{\"envelope_id\":\"hm-payload-string\",\"type\":\"slash_commands\",\"payload\":" + JsonSerializer.Serialize(slash) + ",\"accepts_response_payload\":true}"),
            ("payload a number", "{\"envelope_id\":\"hm-payload-number\",\"type\":\"interactive\",\"payload\":5}"),
            ("accepts as text", "{\"envelope_id\":\"hm-accepts-text\",\"type\":\"slash_commands\",\"payload\":" + Slash("/help", "") + ",\"accepts_response_payload\":\"true\"}"),
            ("accepts false on a command", "{\"envelope_id\":\"hm-accepts-false\",\"type\":\"slash_commands\",\"payload\":" + Slash("/explain", "generators") + ",\"accepts_response_payload\":false}"),
            ("retry fields of other kinds", "{\"envelope_id\":\"hm-retry\",\"type\":\"events_api\",\"payload\":{},\"retry_attempt\":\"x\",\"retry_reason\":5}"),
            ("retry attempt huge", "{\"envelope_id\":\"hm-retry-huge\",\"type\":\"events_api\",\"payload\":{},\"retry_attempt\":99999999999,\"retry_reason\":\"timeout\"}"),
            ("command missing", "{\"envelope_id\":\"hm-no-command\",\"type\":\"slash_commands\",\"payload\":{\"text\":\"closures\",\"user_id\":\"U1\"},\"accepts_response_payload\":true}"),
            ("command empty", "{\"envelope_id\":\"hm-command-empty\",\"type\":\"slash_commands\",\"payload\":" + Slash("", "closures") + ",\"accepts_response_payload\":true}"),
            ("command without slash", "{\"envelope_id\":\"hm-command-bare\",\"type\":\"slash_commands\",\"payload\":" + Slash("explain", "closures") + ",\"accepts_response_payload\":true}"),
            ("command text of 100 KB", "{\"envelope_id\":\"hm-text-huge\",\"type\":\"slash_commands\",\"payload\":" + Slash("/explain", new string('a', 100_000)) + ",\"accepts_response_payload\":true}"),
            ("command text a lone surrogate", "{\"envelope_id\":\"hm-text-surrogate\",\"type\":\"slash_commands\",\"payload\":" + Slash("/explain", "closures").Replace("\"text\":\"closures\"", "\"text\":\"x\\udfff\"", StringComparison.Ordinal) + ",\"accepts_response_payload\":true}"),
            ("command text a number", "{\"envelope_id\":\"hm-text-number\",\"type\":\"slash_commands\",\"payload\":" + Slash("/quiz", "x").Replace("\"text\":\"x\"", "\"text\":5", StringComparison.Ordinal) + ",\"accepts_response_payload\":true}"),
            ("response_url not a URL", "{\"envelope_id\":\"hm-url-bad\",\"type\":\"slash_commands\",\"payload\":" + WithField(SlackPayloads.SlashCommandJson("/explain", "x", new Uri("https://x.invalid/")).ToJsonString(), "response_url", "\"not a url\"") + ",\"accepts_response_payload\":true}"),
            ("interactive without type", "{\"envelope_id\":\"hm-i-no-type\",\"type\":\"interactive\",\"payload\":{\"user\":{\"id\":\"U1\"},\"actions\":[{\"action_id\":\"quiz:next\"}]}}"),
            ("interactive without user", "{\"envelope_id\":\"hm-i-no-user\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"actions\":[{\"action_id\":\"quiz:next\"}]}}"),
            ("user id empty", "{\"envelope_id\":\"hm-i-user-empty\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"\"},\"actions\":[{\"action_id\":\"quiz:next\"}]}}"),
            ("user a string", "{\"envelope_id\":\"hm-i-user-string\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":\"U1\",\"actions\":[{\"action_id\":\"quiz:next\"}]}}"),
            ("actions empty", "{\"envelope_id\":\"hm-i-actions-empty\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[]}}"),
            ("actions of null", "{\"envelope_id\":\"hm-i-actions-null\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[null]}}"),
            ("actions an object", "{\"envelope_id\":\"hm-i-actions-object\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":{\"action_id\":\"quiz:next\"}}}"),
            ("selected_option of another kind", "{\"envelope_id\":\"hm-i-selected\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[{\"action_id\":\"menu:0\",\"selected_option\":\"explain:closures\"}]}}"),
            ("action id a lone surrogate", "{\"envelope_id\":\"hm-i-action-surrogate\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\"},\"actions\":[{\"action_id\":\"explain:\\ud800\"}]}}"),
            ("suggestion value a number", "{\"envelope_id\":\"hm-s-number\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_suggestion\",\"user\":{\"id\":\"U1\"},\"value\":5},\"accepts_response_payload\":true}"),
            ("suggestion value huge", "{\"envelope_id\":\"hm-s-huge\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_suggestion\",\"user\":{\"id\":\"U1\"},\"value\":\"" + new string('g', 50_000) + "\"},\"accepts_response_payload\":true}"),
            ("suggestion for everything", "{\"envelope_id\":\"hm-s-all\",\"type\":\"interactive\",\"payload\":{\"type\":\"block_suggestion\",\"user\":{\"id\":\"U1\"},\"value\":\"\"},\"accepts_response_payload\":true}"),
            ("view submission", "{\"envelope_id\":\"hm-view\",\"type\":\"interactive\",\"payload\":{\"type\":\"view_submission\",\"user\":{\"id\":\"U1\"},\"view\":{}},\"accepts_response_payload\":true}"),
            ("payload nested deeply", "{\"envelope_id\":\"hm-deep\",\"type\":\"events_api\",\"payload\":" + new string('[', 70) + new string(']', 70) + "}"),
            ("repeated keys", "{\"envelope_id\":\"hm-repeated\",\"envelope_id\":\"hm-repeated-2\",\"type\":\"events_api\",\"payload\":{}}"),
            ("unknown message type", "{\"type\":\"goodbye\",\"reason\":\"@everyone\"}"),
        };

        // A redelivery: the same envelope again, acked again without being handled twice.
        var redelivered = "{\"envelope_id\":\"hm-redelivered\",\"type\":\"slash_commands\",\"payload\":" + Slash("/explain", "generators") + ",\"accepts_response_payload\":true}";
        frames.Add(("redelivered, first", redelivered));
        frames.Add(("redelivered, again", redelivered[..^1] + ",\"retry_attempt\":1,\"retry_reason\":\"timeout\"}"));
        return frames.Select(frame => ($"hand-made: {frame.Item1}", frame.Item2));
    }

    private static string Clip(string text) => text.Length <= 1_500 ? text : text[..1_500] + "…";
}

/// <summary>One frame sent, and what is expected of it.</summary>
/// <param name="EnvelopeId">The id the client will ack, when the frame is an envelope it can read.</param>
/// <param name="ExpectedAcks">How many acks of <paramref name="EnvelopeId"/> there must be in all (a redelivery is acked again).</param>
/// <param name="AcceptsResponsePayload">Whether the ack may carry a payload.</param>
internal sealed record EnvelopeCase(string Label, string Frame, string? EnvelopeId, int ExpectedAcks, bool AcceptsResponsePayload, long SentAt);

/// <summary>
/// The Slack adapter as the host builds it for Socket Mode (DI: Core, the adapter, the Web API client against a
/// loopback <see cref="FakeSlack"/>), with the real course and an in-memory quiz store, its <see cref="SocketModeClient"/>
/// connected to a loopback WebSocket that sends raw frames (the fake's own Socket Mode side sends only well-formed JSON).
/// </summary>
internal sealed class SocketModeFuzzBot : IAsyncDisposable
{
    /// <summary>Slack's deadline for an ack.</summary>
    private static readonly TimeSpan AckDeadline = TimeSpan.FromSeconds(3);

    private readonly ServiceProvider _services;
    private readonly RawSocketModeServer _socket;
    private readonly SocketModeClient _client;
    private readonly ListLoggerProvider _logs;
    private readonly Dictionary<string, int> _expectedAcks = new(StringComparer.Ordinal);
    private int _checkedAcks;
    private int _checkedLogLines;
    private int _checkedProblems;

    private SocketModeFuzzBot(FakeSlack slack, string originalTs, ServiceProvider services, RawSocketModeServer socket, SocketModeClient client, ListLoggerProvider logs)
    {
        Slack = slack;
        OriginalTs = originalTs;
        _services = services;
        _socket = socket;
        _client = client;
        _logs = logs;
    }

    public FakeSlack Slack { get; }

    /// <summary>Acks checked that carried a payload (an answer or menu options).</summary>
    public int AcksWithPayload { get; private set; }

    /// <summary>A message of the bot's in the channel, which button presses come from and may replace.</summary>
    public string OriginalTs { get; }

    public static async Task<SocketModeFuzzBot> StartAsync()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
        var slack = await FakeSlack.StartAsync();
        slack.AddChannel(SlackPayloads.DefaultChannelId);
        var originalTs = slack.AddUserMessage(SlackPayloads.DefaultChannelId, FakeSlack.BotUserId, "a quiz question");
        var socket = await RawSocketModeServer.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = FakeSlack.BotToken,
            ["Slack:AppToken"] = FakeSlack.AppToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        }).Build();
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        services.AddMetrics();
        services.AddSingleton(FuzzCourse.Source);
        services.AddSingleton<IQuizStore>(new InMemoryQuizStore());
        services.AddBotCore();
        services.AddSlack(configuration);
        // The raw socket in place of apps.connections.open: the fake's own Socket Mode side sends only well-formed JSON.
        services.AddSingleton<ISocketModeUrlSource>(socket);
        var provider = services.BuildServiceProvider(validateScopes: true);
        var client = provider.GetServices<IHostedService>().OfType<SocketModeClient>().Single();
        await client.StartAsync(CancellationToken.None);
        await socket.WaitForConnectionAsync(TimeSpan.FromSeconds(10));
        var bot = new SocketModeFuzzBot(slack, originalTs, provider, socket, client, logs);

        // A running bot has its course loaded and its code compiled before the first envelope; without this the first
        // acks would wait seconds for both.
        var failures = new List<string>();
        var warmUp = await bot.SendAsync("warm-up", Envelope("warm-up", "slash_commands",
            SlackPayloads.SlashCommandJson("/explain", "closures", slack.NewResponseUrl(SlackPayloads.DefaultChannelId)).ToJsonString(), true));
        await bot.CheckAsync([warmUp], failures, ackDeadline: TimeSpan.FromSeconds(30));
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        return bot;
    }

    /// <summary>An envelope frame around <paramref name="payload"/> (JSON text, which may be cut short).</summary>
    public static string Envelope(string envelopeId, string type, string payload, bool acceptsResponsePayload) =>
        $"{{\"envelope_id\":{JsonSerializer.Serialize(envelopeId)},\"type\":\"{type}\",\"payload\":{payload},\"accepts_response_payload\":{(acceptsResponsePayload ? "true" : "false")}}}";

    /// <summary>Reads <paramref name="frame"/> as the client reads frames to know what to expect, then sends it.</summary>
    public async Task<EnvelopeCase> SendAsync(string label, string frame)
    {
        string? id = null;
        var accepts = false;
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(frame));
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("envelope_id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
            {
                id = idElement.GetString();
                accepts = root.TryGetProperty("accepts_response_payload", out var flag) && flag.ValueKind == JsonValueKind.True;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the client logs it and sends nothing.
        }
        catch (InvalidOperationException)
        {
            // An envelope_id that is not valid text: the client's own reading of it fails the same way.
            id = null;
        }

        var expected = 0;
        if (id is not null)
        {
            expected = _expectedAcks[id] = _expectedAcks.GetValueOrDefault(id) + 1;
        }

        var sentAt = Stopwatch.GetTimestamp();
        await _socket.SendAsync(frame);
        return new EnvelopeCase(label, frame, id, expected, accepts, sentAt);
    }

    /// <summary>Waits for the acks of <paramref name="cases"/> and the answers they started, then checks acks, the fake and the log.</summary>
    public async Task CheckAsync(IReadOnlyList<EnvelopeCase> cases, List<string> failures, TimeSpan? ackDeadline = null)
    {
        var shown = string.Join("\n    ", cases.Select(item => $"{item.Label}: {FuzzText.Show(item.Frame)}"));
        var waitUntil = Stopwatch.GetTimestamp() + (long)(TimeSpan.FromSeconds(15).TotalSeconds * Stopwatch.Frequency);
        while (cases.Any(item => item.EnvelopeId is not null && _socket.AcksOf(item.EnvelopeId).Count < item.ExpectedAcks) && Stopwatch.GetTimestamp() < waitUntil)
        {
            await Task.Delay(2);
        }

        foreach (var item in cases.Where(item => item.EnvelopeId is not null))
        {
            var acks = _socket.AcksOf(item.EnvelopeId!);
            if (acks.Count < item.ExpectedAcks)
            {
                failures.Add($"{item.Label}: not acked\n  frame = {FuzzText.Show(item.Frame)}");
                continue;
            }

            var ack = acks[item.ExpectedAcks - 1];
            var latency = Stopwatch.GetElapsedTime(item.SentAt, ack.At);
            if (latency > (ackDeadline ?? AckDeadline))
            {
                failures.Add($"{item.Label}: acked after {latency.TotalSeconds:0.00} s\n  frame = {FuzzText.Show(item.Frame)}");
            }

            if (ack.Text.Contains("\"payload\"", StringComparison.Ordinal))
            {
                AcksWithPayload++;
            }

            failures.AddRange(CheckAck(item, ack.Text).Select(problem => $"{item.Label}: {problem}\n  frame = {FuzzText.Show(item.Frame)}\n  ack = {FuzzText.Show(ack.Text)}"));
        }

        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _services.GetRequiredService<InFlightWork>().DrainAsync(drain.Token);
        }

        var received = _socket.Received;
        var unexpected = received.Skip(_checkedAcks).Where(frame => AckId(frame.Text) is not { } id || !_expectedAcks.ContainsKey(id)).ToList();
        _checkedAcks = received.Count;
        failures.AddRange(unexpected.Select(frame => $"a frame that acks nothing sent: {FuzzText.Show(frame.Text)}\n  in one of:\n    {shown}"));
        var extra = _expectedAcks.Where(expected => _socket.AcksOf(expected.Key).Count > expected.Value).ToList();
        failures.AddRange(extra.Select(expected => $"envelope {FuzzText.Show(expected.Key)} acked {_socket.AcksOf(expected.Key).Count} times, expected {expected.Value}"));

        var problems = Slack.Problems;
        if (problems.Count > _checkedProblems)
        {
            failures.Add($"fake Slack: {string.Join("; ", problems.Skip(_checkedProblems))}\n  in one of:\n    {shown}");
            _checkedProblems = problems.Count;
        }

        var lines = _logs.Entries;
        var errors = lines.Skip(_checkedLogLines).Where(line => line.Level >= LogLevel.Error).ToList();
        _checkedLogLines = lines.Count;
        if (errors.Count > 0)
        {
            failures.Add($"logged: {string.Join("; ", errors.Select(line => $"{line.Category}: {line.Message} {line.Exception}"))}\n  in one of:\n    {shown}");
        }

        if (Slack.Pings.Count > 0)
        {
            failures.Add($"pings: {string.Join("; ", Slack.Pings)}\n  in one of:\n    {shown}");
        }
    }

    /// <summary>Sends <paramref name="frame"/> with no expectation of it.</summary>
    public Task SendRawAsync(string frame) => _socket.SendAsync(frame);

    /// <summary>Whether <paramref name="item"/> was acked within <paramref name="timeout"/>.</summary>
    public async Task<bool> AckedAsync(EnvelopeCase item, TimeSpan timeout)
    {
        var waitUntil = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (_socket.AcksOf(item.EnvelopeId!).Count < item.ExpectedAcks && Stopwatch.GetTimestamp() < waitUntil)
        {
            await Task.Delay(5);
        }

        return _socket.AcksOf(item.EnvelopeId!).Count >= item.ExpectedAcks;
    }

    /// <summary>Every error-level log line so far.</summary>
    public IReadOnlyList<string> Errors() =>
        [.. _logs.Entries.Where(line => line.Level >= LogLevel.Error).Select(line => $"{line.Category}: {line.Message} {line.Exception}")];

    /// <summary>The client kept its one connection: no frame made it drop or reopen it.</summary>
    public void CheckConnection(List<string> failures)
    {
        if (_socket.Connections != 1)
        {
            failures.Add($"the client opened {_socket.Connections} connections; a frame made it drop the first");
        }
    }

    /// <summary>How many log lines of each level, for the test's output.</summary>
    public string LogSummary() =>
        string.Join(", ", _logs.Entries.GroupBy(line => line.Level).OrderBy(group => group.Key).Select(group => $"{group.Key} {group.Count()}"));

    /// <summary>What is wrong with an ack: not <c>{"envelope_id", "payload"?}</c>, a payload where none is accepted, or a payload outside Slack's rules.</summary>
    private static IEnumerable<string> CheckAck(EnvelopeCase item, string text)
    {
        JsonObject? ack;
        try
        {
            ack = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            ack = null;
        }

        if (ack is null || ack.Any(property => property.Key is not ("envelope_id" or "payload")))
        {
            yield return "the ack is not {\"envelope_id\", \"payload\"?}";
            yield break;
        }

        if (ack["payload"] is not { } payload)
        {
            yield break;
        }

        if (!item.AcceptsResponsePayload)
        {
            yield return "a payload on an ack of an envelope that accepts none";
        }

        if (payload is not JsonObject answer)
        {
            yield return "the payload is not an object";
            yield break;
        }

        if (answer["options"] is { } options)
        {
            foreach (var problem in CheckOptions(options))
            {
                yield return problem;
            }

            yield break;
        }

        var fallback = answer["text"] is JsonValue value && value.TryGetValue<string>(out var fallbackText) ? fallbackText : null;
        if (string.IsNullOrWhiteSpace(fallback) || fallback.Length > SlackLimits.TextObject || fallback.Contains('<', StringComparison.Ordinal))
        {
            yield return $"the payload's text is missing, too long or holds an unescaped <: {FuzzText.Show(fallback ?? "null")}";
        }

        foreach (var problem in BlockKitValidator.Validate(answer["blocks"] ?? new JsonArray()))
        {
            yield return problem;
        }

        foreach (var ping in MentionScanner.Scan("ack", SlackPayloads.DefaultChannelId, fallback, answer["blocks"], linkNames: answer["link_names"] is not null))
        {
            yield return $"the payload pings {ping}";
        }
    }

    /// <summary>The answer to a block_suggestion: at most 100 options of plain text within Slack's lengths.</summary>
    private static IEnumerable<string> CheckOptions(JsonNode options)
    {
        if (options is not JsonArray list || list.Count > SlackLimits.SelectOptions)
        {
            yield return "options is not an array of at most 100";
            yield break;
        }

        foreach (var option in list)
        {
            var label = option?["text"]?["text"] is JsonValue text && text.TryGetValue<string>(out var labelText) ? labelText : null;
            var value = option?["value"] is JsonValue valueNode && valueNode.TryGetValue<string>(out var valueText) ? valueText : null;
            if (option?["text"]?["type"]?.ToString() != "plain_text" || label is not { Length: > 0 and <= SlackLimits.OptionText } || value is not { Length: > 0 and <= SlackLimits.OptionValue })
            {
                yield return $"an option outside Slack's rules: {option?.ToJsonString()}";
            }
        }
    }

    private static string? AckId(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["envelope_id"]?.GetValue<string>();
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _client.StopAsync(deadline.Token);
        }

        _client.Dispose();
        await _services.DisposeAsync();
        await _socket.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary>
/// Slack's side of Socket Mode reduced to a loopback WebSocket that says <c>hello</c>, sends any text the test gives
/// it (JSON or not) and keeps every frame the client sends, with when it arrived.
/// </summary>
internal sealed class RawSocketModeServer : ISocketModeUrlSource, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentQueue<(string Text, long At)> _received = new();
    private readonly ConcurrentDictionary<string, List<(string Text, long At)>> _acks = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebSocket? _socket;
    private int _connections;
    private Uri _url = null!;

    private RawSocketModeServer(WebApplication app) => _app = app;

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every frame the client sent, oldest first.</summary>
    public IReadOnlyList<(string Text, long At)> Received => [.. _received];

    public static async Task<RawSocketModeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RawSocketModeServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/socket");
        return server;
    }

    public Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken) => Task.FromResult(_url);

    public Task WaitForConnectionAsync(TimeSpan timeout) => _connected.Task.WaitAsync(timeout);

    /// <summary>The acks of <paramref name="envelopeId"/> received so far, with when each arrived.</summary>
    public IReadOnlyList<(string Text, long At)> AcksOf(string envelopeId)
    {
        if (!_acks.TryGetValue(envelopeId, out var acks))
        {
            return [];
        }

        lock (acks)
        {
            return [.. acks];
        }
    }

    public async Task SendAsync(string text)
    {
        var socket = _socket ?? throw new InvalidOperationException("The client is not connected.");
        await _sending.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _sending.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Interlocked.Increment(ref _connections);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"hello","num_connections":1,"connection_info":{"app_id":"A0FAKE001"}}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        _socket = socket;
        _connected.TrySetResult();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                var at = Stopwatch.GetTimestamp();
                _received.Enqueue((text, at));
                if (EnvelopeId(text) is { } id)
                {
                    var acks = _acks.GetOrAdd(id, _ => []);
                    lock (acks)
                    {
                        acks.Add((text, at));
                    }
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            // The client went away; a test that did not expect it sees the second connection or the missing acks.
        }
    }

    private static string? EnvelopeId(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("envelope_id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
