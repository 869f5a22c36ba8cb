using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Bot.Discord.Interactions;
using Bot.Discord.Rendering;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Bot.Discord.Tests.Rendering;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Discord.Tests.Fuzz;

/// <summary>
/// The replies to thousands of seeded random inputs (Core's input fuzz: every command, hostile text of every shape,
/// buttons and menus pressed, random action ids) and every reply the course can make (every concept and section,
/// every quiz question as question, result and reveal, help, /regex-test on random patterns), rendered for Discord.
/// Every message must be within Discord's limits and ping nobody (<see cref="MessageChecks"/>), serialize, and be
/// accepted by the loopback <see cref="FakeDiscord"/> as an interaction response and its follow-ups (its own
/// validator, with <c>Problems</c> and <c>Pings</c> empty). A reply takes one message unless its content needs
/// more: what a learner types never adds a message, and a /regex-test reply is always one message, as promised.
/// </summary>
public class RendererFuzzTests(ITestOutputHelper output)
{
    private const int Lines = 2_000;
    private const int RegexRequests = 600;

    /// <summary>
    /// The most messages any reply may take. Today the course needs two at most (its listing: menus beyond a message's
    /// five rows follow in a second message); one more leaves room for a longer concept.
    /// </summary>
    private const int MaxMessages = 3;

    [Theory]
    [InlineData(20261210)]
    public async Task RepliesToRandomInputAndTheWholeCourse_RenderWithinDiscordsLimits(int seed)
    {
        var started = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        var replies = await FuzzReplies.CollectAsync(seed, Lines, RegexRequests, mentions: "@everyone <@123> <!channel> **ping**", failures);
        var collected = Stopwatch.GetElapsedTime(started);

        var bodies = new Dictionary<string, (string Case, IReadOnlyList<JsonNode> Messages)>(StringComparer.Ordinal);
        var counts = new Dictionary<int, int>();
        var seen = new HashSet<Reply>(ReferenceEqualityComparer.Instance);
        foreach (var (label, reply, fromUserText) in replies)
        {
            if (!seen.Add(reply))
            {
                // Core hands out one reply object per concept; it renders the same each time.
                continue;
            }

            IReadOnlyList<DiscordMessage> messages;
            try
            {
                messages = DiscordRenderer.Render(reply);
            }
            catch (Exception exception)
            {
                failures.Add($"{label}: rendering threw {exception}");
                continue;
            }

            counts[messages.Count] = counts.GetValueOrDefault(messages.Count) + 1;
            failures.AddRange(MessageChecks.Violations(messages)
                
                .Select(problem => $"{label} '{FuzzText.Show(reply.Title)}': {problem}"));
            if (messages.Count > MaxMessages || (fromUserText && messages.Count > 1))
            {
                failures.Add($"{label} '{FuzzText.Show(reply.Title)}': {messages.Count} messages");
            }

            try
            {
                var json = messages.Select(message => JsonSerializer.SerializeToNode(message, DiscordJson.Options)!).ToList();
                foreach (var message in json)
                {
                    if (message["allowed_mentions"]?["parse"] is not JsonArray { Count: 0 })
                    {
                        failures.Add($"{label}: allowed_mentions is {message["allowed_mentions"]?.ToJsonString() ?? "missing"}");
                    }
                }

                bodies.TryAdd(string.Concat(json.Select(message => message.ToJsonString())), (label, json));
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or JsonException)
            {
                failures.Add($"{label}: the messages do not serialize: {exception.Message}");
            }
        }

        var rendered = Stopwatch.GetElapsedTime(started);
        var posted = await PostToFakeDiscordAsync(bodies.Values.ToList(), failures);
        output.WriteLine($"{replies.Count} replies ({collected.TotalSeconds:0.0} s), {seen.Count} distinct rendered ({(rendered - collected).TotalSeconds:0.0} s), "
            + $"{bodies.Count} distinct posted to the fake as {posted} requests ({(Stopwatch.GetElapsedTime(started) - rendered).TotalSeconds:0.0} s); "
            + $"messages per reply: {string.Join(", ", counts.OrderBy(count => count.Key).Select(count => $"{count.Key}: {count.Value}"))}; ");

        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {seed}):\n{string.Join('\n', failures.Take(15).Select(Clip))}");
        Assert.True(replies.Count > Lines, $"only {replies.Count} replies");
    }

    /// <summary>
    /// Found by this fuzz: /regex-test lists each match as an inline code span, fenced with more backticks than the
    /// match holds (valid CommonMark), and the Discord renderer passes the span through; Discord reads ``` anywhere
    /// as a code block delimiter, so a match holding ``` breaks the message's formatting from there on.
    /// </summary>
    [Fact]
    public async Task RegexReply_MatchHoldingTripleBackticks_KeepsDiscordsCodeBlocksPaired()
    {
        var replies = await CourseReplies.HelpAndRegexAsync(new RegexTestRequest(".+", "a```b"));

        var messages = DiscordRenderer.Render(replies[1]);

        Assert.Empty(MessageChecks.Violations(messages));
    }

    /// <summary>
    /// Answers one fake interaction per rendering with its first message, and posts the rest as follow-ups, as the
    /// pipeline does; the fake checks every body against Discord's rules and records pings. Returns the requests made.
    /// </summary>
    private static async Task<int> PostToFakeDiscordAsync(IReadOnlyList<(string Case, IReadOnlyList<JsonNode> Messages)> renderings, List<string> failures)
    {
        await using var discord = await FakeDiscord.StartAsync();
        using var http = new HttpClient { BaseAddress = discord.ApiBaseUrl };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(DiscordRestClient.UserAgent);
        var requests = 0;
        var refused = new List<string>();
        await Parallel.ForEachAsync(renderings, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (rendering, cancellationToken) =>
        {
            var interaction = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "fuzz")]));
            var bodies = rendering.Messages.Select((message, index) => index == 0
                ? ($"interactions/{interaction.Id}/{interaction.Token}/callback", new JsonObject { ["type"] = 4, ["data"] = message.DeepClone() })
                : ($"webhooks/{FakeDiscord.ApplicationId}/{interaction.Token}", message.DeepClone()));
            foreach (var (path, body) in bodies)
            {
                using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode)
                {
                    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    lock (refused)
                    {
                        refused.Add($"{rendering.Case}: {path.Split('/')[0]} answered {(int)response.StatusCode} {answer}");
                    }
                }
            }
        });

        failures.AddRange(refused);
        failures.AddRange(discord.Problems.Select(problem => "fake Discord: " + problem));
        failures.AddRange(discord.Pings.Select(ping => $"fake Discord: ping {ping}"));
        return requests;
    }

    private static string Clip(string text) => text.Length <= 1_500 ? text : text[..1_500] + "…";
}
