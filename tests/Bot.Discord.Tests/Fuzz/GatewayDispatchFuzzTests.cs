using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Adapters;
using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Discord.Gateway;
using Bot.Discord.Interactions;
using Bot.Discord.Tests.Fakes;
using Bot.Host.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Discord.Tests.Fuzz;

/// <summary>
/// <c>INTERACTION_CREATE</c> dispatches, mutated, through the code the gateway client hands every dispatch to: the
/// <see cref="InteractionDispatchHandler"/> the Discord adapter registers, with Core, the real course, the SQLite
/// quiz store and the REST client, calling back to a loopback <see cref="FakeDiscord"/> that checks every answer.
/// Templates cover every kind (slash commands with their options, autocomplete, buttons, select menus, in a guild and
/// in a DM), mutated by <see cref="JsonMutations"/>: values of other kinds, fields removed or added, text that is
/// huge, empty, full of control characters or a lone surrogate, JSON cut short. The frame is read as the gateway
/// client reads it. Whatever arrives, no exception escapes the handler, nothing is logged at error level, every
/// interaction the bot can read gets exactly one accepted answer (and the rest none), every answer is within
/// Discord's limits (the fake's <c>Problems</c>), and nobody is pinged. Seeded: a failure names the case.
/// </summary>
/// <remarks>
/// The interaction's id and token are left as Discord issued them, as Discord never sends others: an answer to an
/// id the fake never issued is refused, which would say nothing about the bot. Hand-made dispatches cover those
/// fields, and the payload shapes a mutation rarely reaches.
/// </remarks>
public class GatewayDispatchFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 3_000;

    /// <summary>
    /// Dispatches handled before their answers are awaited and checked: a burst small enough that a machine busy with
    /// other tests still answers each within Discord's 3 seconds, large enough to keep both cores at work.
    /// </summary>
    private const int Window = 16;

    /// <param name="deferEveryAnswer">
    /// Defers every command and component at once (<see cref="InteractionPipeline.AnswerWithin"/> zero) instead of
    /// only those Core is slow with, so the deferred answers (types 5 and 6, then an edit or follow-ups) are fuzzed on
    /// every run, not only when a loaded machine makes Core slow. Three faults of the fake showed only on that path, so
    /// this test failed now and then (FakeDiscordSelfTests: ComponentCallback_PayloadMessageWithNonStringIdOrChannel_...,
    /// ComponentDeferredUpdate_PayloadWithoutMessage_..., DeferThenDeleteOriginalAndFollowUp_...).
    /// </param>
    [Theory]
    [InlineData(20261207, false)]
    [InlineData(20261207, true)]
    public async Task MutatedInteractionCreate_NeverEscapesTheHandlerLogsAnErrorOrAnswersOutsideTheLimits(int seed, bool deferEveryAnswer)
    {
        await using var bot = await GatewayFuzzBot.StartAsync(deferEveryAnswer ? TimeSpan.Zero : null);
        var mutations = new JsonMutations(seed);
        var random = new Random(seed);
        var failures = new List<string>();
        var stats = new Dictionary<string, int>(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        var window = new List<DispatchCase>();
        for (var attempt = 0; attempt < Mutations; attempt++)
        {
            var (name, payload) = Template(random);
            var id = payload["id"]!.GetValue<string>();
            var token = payload["token"]!.GetValue<string>();
            payload.Remove("id");
            payload.Remove("token");
            var data = WithIdentity(mutations.Mutate(payload), id, token);
            var outcome = await bot.DispatchAsync($"case {attempt} ({name})", data, failures);
            stats[outcome.Kind] = stats.GetValueOrDefault(outcome.Kind) + 1;
            window.Add(outcome);
            if (window.Count == Window)
            {
                await bot.CheckAsync(window, failures);
                window.Clear();
            }
        }

        await bot.CheckAsync(window, failures);
        output.WriteLine($"{Mutations} dispatches in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {string.Join(", ", stats.OrderBy(stat => stat.Key))}");
        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {seed}):\n{string.Join('\n', failures.Take(12).Select(Clip))}");
        Assert.True(stats.GetValueOrDefault(DispatchCase.Answerable) > Mutations / 2, string.Join(", ", stats));
    }

    [Fact]
    public async Task HandMadeDispatches_NeverEscapeTheHandlerLogAnErrorOrAnswerOutsideTheLimits()
    {
        await using var bot = await GatewayFuzzBot.StartAsync();
        var failures = new List<string>();
        var cases = new List<DispatchCase>();
        foreach (var (label, data) in HandMade())
        {
            cases.Add(await bot.DispatchAsync(label, data, failures));
        }

        // Other events reach the same handler; it must leave them alone.
        foreach (var (eventName, data) in new[] { ("GUILD_CREATE", "{}"), ("MESSAGE_CREATE", "{\"content\":\"@everyone\"}"), ("READY", "null"), ("", "[]"), ("INTERACTION_CREATE ", "{}"), ("interaction_create", "{}") })
        {
            using var document = JsonDocument.Parse(data);
            try
            {
                await bot.Handler.OnDispatchAsync(eventName, document.RootElement, CancellationToken.None);
            }
            catch (Exception exception)
            {
                failures.Add($"{eventName}: {exception}");
            }
        }

        await bot.CheckAsync(cases, failures);
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n{string.Join("\n", failures.Take(12).Select(Clip))}");
        Assert.Contains(cases, item => item.Kind == DispatchCase.Answerable);
        Assert.Contains(cases, item => item.Kind == DispatchCase.Unreadable);
    }

    /// <summary>
    /// Found by this fuzz: a dispatch frame without <c>d</c> reaches the handler as a default <see cref="JsonElement"/>
    /// (GatewayClient.OnDispatchAsync passes <c>default</c>), whose deserialization throws InvalidOperationException,
    /// which the handler does not catch. The gateway client catches it and logs an error; Discord always sends <c>d</c>.
    /// </summary>
    [Fact]
    public async Task InteractionCreateWithoutData_DoesNotEscapeTheHandler()
    {
        await using var bot = await GatewayFuzzBot.StartAsync();

        var exception = await Record.ExceptionAsync(async () => await bot.Handler.OnDispatchAsync(InteractionDispatchHandler.InteractionCreate, default, CancellationToken.None));

        Assert.Null(exception);
    }

    /// <summary>
    /// Found by this fuzz: an interaction whose token is white space passes <see cref="Interaction.IsAnswerable"/>
    /// (not null or empty), but every route built from it throws ArgumentException (DiscordRoute.Escape), so the bot
    /// logs two errors ("could not be answered", "even the apology could not be sent"). Discord never sends such a
    /// token, so this costs only the log lines; the check and the route disagree.
    /// </summary>
    [Fact]
    public async Task InteractionWithWhiteSpaceToken_IsDroppedWithoutAnError()
    {
        await using var bot = await GatewayFuzzBot.StartAsync();
        var failures = new List<string>();
        var payload = InteractionPayloads.SlashCommand("help", []);
        payload["token"] = "   ";

        var dispatched = await bot.DispatchAsync("white-space token", payload.ToJsonString(), failures);
        await bot.CheckAsync([dispatched with { Kind = DispatchCase.Unanswerable }], failures);

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>A random template as Discord sends it, with a fresh id and token; option values sometimes random text.</summary>
    private static (string Name, JsonObject Payload) Template(Random random)
    {
        var guild = random.Next(5) == 0 ? null : InteractionPayloads.DefaultGuildId;
        var user = random.Next(3) == 0 ? "900000000000000002" : InteractionPayloads.DefaultUserId;
        var message = "1000000000000000099";
        string Text() => random.Next(3) == 0 ? TransportText.WellFormed(FuzzText.Text(random)) : "closures";
        var regex = FuzzText.RegexRequest(random);
        return random.Next(17) switch
        {
            0 => ("explain", InteractionPayloads.SlashCommand("explain", [("topic", 3, Text()), ("section", 3, "example")], user, guild)),
            1 => ("explain", InteractionPayloads.SlashCommand("explain", [("topic", 3, Text())], user, guild)),
            2 => ("explain", InteractionPayloads.SlashCommand("explain", [], user, guild)),
            3 => ("quiz", InteractionPayloads.SlashCommand("quiz", [("topic", 3, random.Next(2) == 0 ? "generators" : Text())], user, guild)),
            4 => ("quiz", InteractionPayloads.SlashCommand("quiz", [], user, guild)),
            5 => ("regex-test", InteractionPayloads.SlashCommand("regex-test", [("pattern", 3, @"(\w+)@(\w+)"), ("text", 3, "ann@ex bob@ey"), ("mode", 3, "findall")], user, guild)),
            6 => ("regex-test", InteractionPayloads.SlashCommand("regex-test",
                [("pattern", 3, regex.Pattern), ("text", 3, regex.Text), .. Optional("flags", regex.Flags), .. Optional("mode", regex.Mode), .. Optional("repl", regex.Replacement)], user, guild)),
            7 => ("stats", InteractionPayloads.SlashCommand("stats", [], user, guild)),
            8 => ("leaderboard", InteractionPayloads.SlashCommand("leaderboard", [], user, guild)),
            9 => ("help", InteractionPayloads.SlashCommand("help", [], user, guild)),
            10 => ("autocomplete", InteractionPayloads.Autocomplete(random.Next(2) == 0 ? "explain" : "quiz", "topic", random.Next(2) == 0 ? "clo" : Text(), null, user, guild)),
            11 => ("button", InteractionPayloads.ButtonClick("explain:closures", message, user, guild)),
            12 => ("button", InteractionPayloads.ButtonClick(random.Next(2) == 0 ? "quiz:next" : "quiz:topic:generators", message, user, guild)),
            13 or 14 => ("answer", InteractionPayloads.ButtonClick(
                string.Create(CultureInfo.InvariantCulture, $"quiz:answer:{random.Next(1, 40)}:{random.Next(0, 4)}"), message, user, guild)),
            15 => ("menu", InteractionPayloads.SelectMenuChoice("menu:0", random.Next(2) == 0 ? "explain:generators" : "explain:" + Text(), message, user, guild)),
            _ => ("ping", InteractionPayloads.Ping()),
        };

        static IEnumerable<(string, int, JsonNode)> Optional(string name, string? value) => value is null ? [] : [(name, 3, JsonValue.Create(value))];
    }

    /// <summary>Puts Discord's id and token back at the front of the mutated object (JSON cut short stays cut short).</summary>
    private static string WithIdentity(string mutated, string id, string token)
    {
        var identity = $"\"id\":{JsonSerializer.Serialize(id)},\"token\":{JsonSerializer.Serialize(token)}";
        var rest = mutated[1..];
        return "{" + identity + (rest.TrimStart().StartsWith('}') || rest.Length == 0 ? "" : ",") + rest;
    }

    /// <summary>Dispatches built by hand: <c>d</c> of every JSON kind, identity fields of every shape, and payloads mutation rarely reaches.</summary>
    private static IEnumerable<(string Label, string Data)> HandMade()
    {
        var user = "\"member\":{\"user\":{\"id\":\"900000000000000001\",\"username\":\"student1\",\"global_name\":null},\"nick\":null},\"guild_id\":\"1000000000000000001\",\"channel_id\":\"1000000000000000002\"";
        var data = new (string Name, string Data)[]
        {
            ("d is null", "null"),
            ("d is an array", "[]"),
            ("d is a string", "\"INTERACTION\""),
            ("d is a number", "5"),
            ("d is true", "true"),
            ("d is empty", "{}"),
            ("id only", "{\"id\":\"1\"}"),
            ("no type", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\"}"),
            ("type as text", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":\"2\"}"),
            ("type 0", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":0," + user + "}"),
            ("type 99", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":99," + user + "}"),
            ("type 5 (modal submit)", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":5," + user + ",\"data\":{\"custom_id\":\"modal\",\"components\":[]}}"),
            ("type 2 without data", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + "}"),
            ("data null", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":null}"),
            ("options of nulls", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"explain\",\"options\":[null,null]}}"),
            ("option without name", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"explain\",\"options\":[{\"type\":3,\"value\":\"x\"}]}}"),
            ("option value object", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"quiz\",\"options\":[{\"name\":\"topic\",\"type\":3,\"value\":{\"a\":[1]}}]}}"),
            ("option value lone surrogate", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"regex-test\",\"options\":[{\"name\":\"pattern\",\"type\":3,\"value\":\"\\ud800\"},{\"name\":\"text\",\"type\":3,\"value\":\"x\\udfffy\"}]}}"),
            ("subcommand options", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"explain\",\"options\":[{\"name\":\"topic\",\"type\":1,\"options\":[{\"name\":\"topic\",\"type\":3,\"value\":\"closures\"}]}]}}"),
            ("focused as text", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":4," + user + ",\"data\":{\"name\":\"explain\",\"options\":[{\"name\":\"topic\",\"type\":3,\"value\":\"clo\",\"focused\":\"true\"}]}}"),
            ("two focused", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":4," + user + ",\"data\":{\"name\":\"quiz\",\"options\":[{\"name\":\"topic\",\"type\":3,\"value\":\"\",\"focused\":true},{\"name\":\"topic\",\"type\":3,\"value\":\"gen\",\"focused\":true}]}}"),
            ("autocomplete of 20 KB", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":4," + user + ",\"data\":{\"name\":\"explain\",\"options\":[{\"name\":\"topic\",\"type\":3,\"value\":\"" + new string('c', 20_000) + "\",\"focused\":true}]}}"),
            ("menu without values", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":3," + user + ",\"message\":{\"id\":\"1\"},\"data\":{\"custom_id\":\"menu:0\",\"component_type\":3}}"),
            ("menu with two values", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":3," + user + ",\"message\":{\"id\":\"1\"},\"data\":{\"custom_id\":\"menu:0\",\"component_type\":3,\"values\":[\"explain:closures\",\"explain:gil\"]}}"),
            ("menu values of null", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":3," + user + ",\"message\":{\"id\":\"1\"},\"data\":{\"custom_id\":\"menu:0\",\"component_type\":3,\"values\":[null]}}"),
            ("button without custom_id", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":3," + user + ",\"message\":{\"id\":\"1\"},\"data\":{\"component_type\":2}}"),
            ("button of 20 KB", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":3," + user + ",\"message\":{\"id\":\"1\"},\"data\":{\"custom_id\":\"explain:" + new string('x', 20_000) + "\",\"component_type\":2}}"),
            ("answer to a huge instance", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":3," + user + ",\"message\":{\"id\":\"1\"},\"data\":{\"custom_id\":\"quiz:answer:9223372036854775807:2147483647\",\"component_type\":2}}"),
            ("member without user", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2,\"member\":{\"nick\":\"@everyone\"},\"guild_id\":\"1\",\"data\":{\"name\":\"stats\"}}"),
            ("no member and no user", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2,\"data\":{\"name\":\"leaderboard\"}}"),
            ("nick that pings", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2,\"member\":{\"user\":{\"id\":\"9\",\"username\":\"u\"},\"nick\":\"@everyone <@&1> ||x||\"},\"guild_id\":\"1000000000000000001\",\"channel_id\":\"1000000000000000002\",\"data\":{\"name\":\"leaderboard\"}}"),
            ("guild id as a number", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2,\"guild_id\":1,\"data\":{\"name\":\"help\"}}"),
            ("numbers as text", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\",\"component_type\":\"2\"}}"),
            ("id as a number", "{\"id\":1,\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("id empty", "{\"id\":\"\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("token empty", "{\"id\":\"@\",\"token\":\"\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("token null", "{\"id\":\"@\",\"token\":null,\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("token lone surrogate", "{\"id\":\"@\",\"token\":\"\\ud800\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("no application id", "{\"id\":\"@\",\"token\":\"@\",\"type\":2," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("duplicate keys", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2,\"type\":3," + user + ",\"data\":{\"name\":\"help\"}}"),
            ("deep nesting", "{\"id\":\"@\",\"token\":\"@\",\"application_id\":\"1100000000000000000\",\"type\":2," + user + ",\"data\":{\"name\":\"help\",\"extra\":" + new string('[', 60) + new string(']', 60) + "}}"),
        };
        foreach (var (name, json) in data)
        {
            // "@" stands for a fresh id and token, which the dispatch registers with the fake as Discord's own.
            var id = Snowflakes.Next();
            var token = FakeDiscord.NewInteractionToken();
            yield return ($"hand-made: {name}", json.Replace("\"id\":\"@\"", $"\"id\":\"{id}\"", StringComparison.Ordinal).Replace("\"token\":\"@\"", $"\"token\":\"{token}\"", StringComparison.Ordinal));
        }
    }

    private static string Clip(string text) => text.Length <= 1_500 ? text : text[..1_500] + "…";
}

/// <summary>One dispatch and what is expected of it.</summary>
/// <param name="Kind">How the bot reads it: <see cref="Answerable"/>, <see cref="Unanswerable"/> (no id or token), <see cref="Unreadable"/> or <see cref="NotJson"/>.</param>
/// <param name="Id">The interaction id the fake knows it by, when the bot can answer it.</param>
internal sealed record DispatchCase(string Label, string Data, string Kind, string? Id)
{
    public const string Answerable = "answerable";
    public const string Unanswerable = "unanswerable";
    public const string Unreadable = "unreadable";
    public const string NotJson = "frame not JSON";
}

/// <summary>
/// The Discord adapter as the host builds it for the gateway transport (DI: Core, the adapter, the REST client), with
/// the real course and a fresh SQLite store, calling back to a loopback <see cref="FakeDiscord"/>; its handler is the
/// one <see cref="GatewayClient"/> hands every dispatch to.
/// </summary>
internal sealed class GatewayFuzzBot : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DirectoryInfo _folder;
    private readonly ListLoggerProvider _logs;
    private long _sequence;
    private int _checkedLogLines;
    private int _checkedProblems;

    private GatewayFuzzBot(FakeDiscord discord, ServiceProvider services, DirectoryInfo folder, ListLoggerProvider logs)
    {
        Discord = discord;
        _services = services;
        _folder = folder;
        _logs = logs;
        Handler = services.GetServices<IGatewayDispatchHandler>().OfType<InteractionDispatchHandler>().Single();
    }

    public FakeDiscord Discord { get; }

    public InteractionDispatchHandler Handler { get; }

    /// <param name="deferAfter">The pipeline's <see cref="InteractionPipeline.AnswerWithin"/>; null keeps the bot's own.</param>
    public static async Task<GatewayFuzzBot> StartAsync(TimeSpan? deferAfter = null)
    {
        // As GatewayTestSupport explains: the test host parks pool threads, which a production host does not.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
        var discord = await FakeDiscord.StartAsync();
        // In memory where the system has it: SQLite syncs every write to disk, which would take most of the run.
        var folder = Directory.Exists("/dev/shm")
            ? Directory.CreateDirectory(Path.Combine("/dev/shm", "bot-gateway-fuzz-" + Guid.NewGuid().ToString("N")))
            : Directory.CreateTempSubdirectory("bot-gateway-fuzz-");
        var database = new SqliteDatabase(Path.Combine(folder.FullName, "bot.db"));
        await database.MigrateAsync(CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:BotToken"] = FakeDiscord.BotToken,
            ["Discord:ApplicationId"] = FakeDiscord.ApplicationId,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Discord:Transport"] = "Gateway",
        }).Build();
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        services.AddMetrics();
        services.AddSingleton<IHostApplicationLifetime, RunningLifetime>();
        services.AddSingleton(FuzzCourse.Source);
        services.AddSingleton<IQuizStore>(new SqliteQuizStore(database));
        services.AddBotCore();
        services.AddDiscord(configuration);
        var bot = new GatewayFuzzBot(discord, services.BuildServiceProvider(validateScopes: true), folder, logs);
        if (deferAfter is { } delay)
        {
            bot._services.GetRequiredService<InteractionPipeline>().AnswerWithin = delay;
        }

        // A running bot has its course loaded and its code compiled before the first interaction; without this the
        // first dispatches would wait seconds for both and miss Discord's 3-second deadline.
        var failures = new List<string>();
        var warmUp = await bot.DispatchAsync("warm-up", InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]).ToJsonString(), failures);
        await bot.CheckAsync([warmUp], failures);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        return bot;
    }

    /// <summary>
    /// Reads <paramref name="data"/> inside a dispatch frame as <see cref="GatewayClient"/> reads frames, registers
    /// the interaction with the fake as Discord would have issued it, and hands <c>d</c> to the handler.
    /// </summary>
    public async Task<DispatchCase> DispatchAsync(string label, string data, List<string> failures)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var frame = $"{{\"t\":\"INTERACTION_CREATE\",\"s\":{sequence.ToString(CultureInfo.InvariantCulture)},\"op\":0,\"d\":{data}}}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame);
        }
        catch (JsonException)
        {
            // The gateway client never hands on a frame it cannot read: it reconnects and resumes (GatewayClientTests).
            return new DispatchCase(label, data, DispatchCase.NotJson, null);
        }

        using (document)
        {
            var root = document.RootElement;
            var d = root.TryGetProperty("d", out var element) ? element : default;
            var eventName = root.GetProperty("t").GetString()!;
            var expected = Expect(label, data, d);
            try
            {
                await Handler.OnDispatchAsync(eventName, d, CancellationToken.None);
            }
            catch (Exception exception)
            {
                failures.Add($"{label}: the handler threw {exception}\n  d = {FuzzText.Show(data)}");
            }

            return expected;
        }
    }

    /// <summary>Waits for the answers of <paramref name="cases"/>, then checks them, the fake's problems and pings, and the log.</summary>
    public async Task CheckAsync(IReadOnlyList<DispatchCase> cases, List<string> failures)
    {
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _services.GetRequiredService<InFlightWork>().DrainAsync(drain.Token);
        var shown = string.Join("\n    ", cases.Select(item => $"{item.Label}: {FuzzText.Show(item.Data)}"));
        foreach (var item in cases.Where(item => item.Id is not null))
        {
            var interaction = Discord.Interaction(item.Id!);
            if (item.Kind == DispatchCase.Answerable && interaction.InitialVia is null)
            {
                failures.Add($"{item.Label}: no accepted answer ({interaction.RejectedResponses} refused)\n  d = {FuzzText.Show(item.Data)}");
            }
            else if (item.Kind != DispatchCase.Answerable && interaction.InitialVia is not null)
            {
                failures.Add($"{item.Label}: answered, though the bot cannot read it\n  d = {FuzzText.Show(item.Data)}");
            }
        }

        var problems = Discord.Problems;
        if (problems.Count > _checkedProblems)
        {
            failures.Add($"fake Discord: {string.Join("; ", problems.Skip(_checkedProblems))}\n  in one of:\n    {shown}");
            _checkedProblems = problems.Count;
        }

        var lines = _logs.Entries;
        var errors = lines.Skip(_checkedLogLines).Where(line => line.Level >= LogLevel.Error).ToList();
        _checkedLogLines = lines.Count;
        if (errors.Count > 0)
        {
            failures.Add($"logged: {string.Join("; ", errors.Select(line => $"{line.Category}: {line.Message} {line.Exception}"))}\n  in one of:\n    {shown}");
        }

        if (Discord.Pings.Count > 0)
        {
            failures.Add($"pings: {string.Join("; ", Discord.Pings)}\n  in one of:\n    {shown}");
        }
    }

    /// <summary>What the bot will make of <paramref name="d"/>, read as it reads it; an interaction it can answer is registered with the fake.</summary>
    private DispatchCase Expect(string label, string data, JsonElement d)
    {
        Interaction? interaction;
        try
        {
            interaction = d.ValueKind == JsonValueKind.Undefined ? null : d.Deserialize<Interaction>(DiscordJson.Options);
        }
        catch (JsonException)
        {
            return new DispatchCase(label, data, DispatchCase.Unreadable, null);
        }

        if (interaction is not { IsAnswerable: true })
        {
            return new DispatchCase(label, data, DispatchCase.Unanswerable, null);
        }

        // Discord's record of it: the payload as sent, with a lone surrogate (which the fake cannot keep) as U+FFFD. A
        // type that is none of Discord's (0, -1 by mutation; Discord never sends one) is recorded as a command, the
        // type for which the bot's answer, "not available", is a valid one.
        JsonObject record;
        try
        {
            record = JsonNode.Parse(d.GetRawText().Replace("\\ud800", "\\ufffd", StringComparison.Ordinal).Replace("\\udfff", "\\ufffd", StringComparison.Ordinal))!.AsObject();
            _ = record.Count;
        }
        catch (ArgumentException)
        {
            // Repeated keys, which JsonObject refuses: the fields the fake reads are enough.
            record = new JsonObject { ["channel_id"] = interaction.ChannelId };
        }

        var type = (int)interaction.Type;
        record["type"] = type is >= 1 and <= 5 ? type : 2;
        record["id"] = interaction.Id;
        record["token"] = interaction.Token;
        Discord.NewInteraction(record);
        return new DispatchCase(label, data, DispatchCase.Answerable, interaction.Id);
    }

    public async ValueTask DisposeAsync()
    {
        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _services.GetRequiredService<InFlightWork>().DrainAsync(drain.Token);
        }

        await _services.DisposeAsync();
        await Discord.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    /// <summary>A host that has started and is not stopping.</summary>
    private sealed class RunningLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
