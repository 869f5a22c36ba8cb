using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary>
/// The sample Grafana dashboard in deploy/grafana queries only what a real <c>bot serve</c> exports: every series and
/// every label its queries name appear in /metrics once the bot has answered commands, cut off a regex, posted a daily
/// quiz (after a 503 it retried), called Discord and reconnected to the gateway.
/// </summary>
public sealed partial class DashboardTests
{
    private const string DailyGuild = "810000000000000010";
    private const string DailyChannel = "820000000000000010";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string DashboardPath = Path.Combine(RepoPaths.Root, "deploy", "grafana", "tutor-bot.json");

    [Fact]
    public void Dashboard_IsAnImportableGrafanaDashboard()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!.AsObject();
        var panels = dashboard["panels"]!.AsArray().Select(panel => panel!.AsObject()).ToList();

        Assert.Equal("tutor-bot", dashboard["uid"]!.GetValue<string>());
        Assert.Contains(dashboard["templating"]!["list"]!.AsArray(), variable => variable!["type"]!.GetValue<string>() == "datasource");
        Assert.Equal(panels.Count, panels.Select(panel => panel["id"]!.GetValue<int>()).Distinct().Count());
        Assert.All(panels.Where(panel => panel["type"]!.GetValue<string>() != "row"), panel =>
        {
            Assert.Equal("${datasource}", panel["datasource"]!["uid"]!.GetValue<string>());
            Assert.NotEmpty(panel["targets"]!.AsArray());
            Assert.False(string.IsNullOrWhiteSpace(panel["description"]?.GetValue<string>()), panel["title"] + " has no description");
        });
        var overlapping = from first in panels
                          from second in panels
                          where first["id"]!.GetValue<int>() < second["id"]!.GetValue<int>() && Overlap(first, second)
                          select $"{first["title"]} / {second["title"]}";
        Assert.Empty(overlapping);
    }

    [Fact]
    public async Task Dashboard_QueriesOnlySeriesAndLabelsARealServerExports()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        discord.GatewayUrl = gateway.Url;
        discord.AddChannel(DailyChannel, DailyGuild);
        discord.InjectStatus("POST", $"/channels/{DailyChannel}/messages", 503, count: 1);
        var environment = DiscordServe.Environment(discord, "Gateway");
        environment["DailyQuiz__Cron"] = "0 0 * * *";
        environment["DailyQuiz__CatchUpGrace"] = "1.00:00:00";
        environment["DailyQuiz__Targets__0__Platform"] = "Discord";
        environment["DailyQuiz__Targets__0__Workspace"] = DailyGuild;
        environment["DailyQuiz__Targets__0__Channel"] = DailyChannel;
        await using var server = await BotServer.StartAsync(environment);
        await server.WaitUntilReadyAsync(Patience);

        var explain = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
        var unsure = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "qwzx frobnicate")]));
        var cutOff = discord.NewInteraction(InteractionPayloads.SlashCommand("regex-test", [("pattern", 3, "(a+)+$"), ("text", 3, new string('a', 40) + "!")]));
        foreach (var interaction in new[] { explain, unsure, cutOff })
        {
            await gateway.DispatchAsync("INTERACTION_CREATE", interaction.Payload);
        }

        await discord.WaitForAsync(fake => new[] { explain, unsure, cutOff }.All(interaction => interaction.Original is not null), Patience);
        var resumes = gateway.Resumes;
        gateway.Abort();
        await gateway.WaitForAsync(fake => fake.Resumes > resumes && fake.IsLive, Patience);

        var queried = QueriedSeries();
        var exported = new Dictionary<string, HashSet<string>>();
        for (var attempt = 0; attempt < 80 && !queried.Keys.All(exported.ContainsKey); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            exported = ExportedSeries(await server.Http.GetStringAsync(new Uri(server.BaseUrl, "/metrics")));
        }

        Assert.NotEmpty(queried);
        Assert.All(queried, pair =>
        {
            Assert.True(exported.TryGetValue(pair.Key, out var labels), $"the dashboard queries {pair.Key}, which /metrics does not export");
            Assert.True(pair.Value.IsSubsetOf(labels!), $"the dashboard uses labels {string.Join(", ", pair.Value.Except(labels!))} of {pair.Key}, which it does not have");
        });
        Assert.Empty(discord.Problems);
    }

    // Each tutor_* series the queries name, with the labels they group or filter it by (le for histogram buckets).
    private static Dictionary<string, HashSet<string>> QueriedSeries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!;
        var expressions = dashboard["panels"]!.AsArray()
            .SelectMany(panel => panel!["targets"]?.AsArray() ?? [])
            .Select(target => target!["expr"]!.GetValue<string>())
            .Append(dashboard["templating"]!["list"]!.AsArray().Select(variable => variable!["definition"]?.GetValue<string>()).OfType<string>().Single());
        var series = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var expression in expressions)
        {
            var grouped = GroupedBy().Matches(expression).SelectMany(match => match.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            foreach (Match selector in Selector().Matches(expression))
            {
                var labels = series.TryGetValue(selector.Groups["name"].Value, out var known) ? known : series[selector.Groups["name"].Value] = new HashSet<string>(StringComparer.Ordinal);
                labels.UnionWith(Matcher().Matches(selector.Groups["matchers"].Value).Select(matcher => matcher.Groups["label"].Value));
                labels.UnionWith(grouped);
            }
        }

        return series;
    }

    private static Dictionary<string, HashSet<string>> ExportedSeries(string metrics)
    {
        var series = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match line in ExportedLine().Matches(metrics))
        {
            var labels = series.TryGetValue(line.Groups["name"].Value, out var known) ? known : series[line.Groups["name"].Value] = new HashSet<string>(StringComparer.Ordinal);
            labels.UnionWith(Matcher().Matches(line.Groups["labels"].Value).Select(matcher => matcher.Groups["label"].Value));
        }

        return series;
    }

    private static bool Overlap(JsonObject first, JsonObject second)
    {
        static (int X, int Y, int W, int H) Box(JsonObject panel) =>
            (panel["gridPos"]!["x"]!.GetValue<int>(), panel["gridPos"]!["y"]!.GetValue<int>(), panel["gridPos"]!["w"]!.GetValue<int>(), panel["gridPos"]!["h"]!.GetValue<int>());
        var (a, b) = (Box(first), Box(second));
        return a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
    }

    [GeneratedRegex(@"\b(?<name>tutor_[a-z_]+)(?:\{(?<matchers>[^}]*)\})?")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\bby \((?<labels>[^)]*)\)")]
    private static partial Regex GroupedBy();

    [GeneratedRegex(@"(?<label>[a-z_]+)\s*(?:=~|!~|!=|=)")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"^(?<name>tutor_[a-z_]+)(?:\{(?<labels>[^}]*)\})? ", RegexOptions.Multiline)]
    private static partial Regex ExportedLine();
}
