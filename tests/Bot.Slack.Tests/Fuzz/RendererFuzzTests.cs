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
using Bot.Slack.Rendering;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.Tests.Rendering;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Slack.Tests.Fuzz;

/// <summary>
/// The replies to thousands of seeded random inputs (Core's input fuzz: every command, hostile text of every shape,
/// buttons and menus pressed, random action ids) and every reply the course can make (every concept and section,
/// every quiz question as question, result and reveal, help, /regex-test on random patterns), rendered as Block Kit.
/// Every message must be within Block Kit's limits, escape <c>&amp; &lt; &gt;</c> so that no <c>&lt;!channel&gt;</c>,
/// <c>&lt;!here&gt;</c>, <c>&lt;!everyone&gt;</c> or <c>&lt;@U…&gt;</c> typed by a learner becomes a mention
/// (<see cref="BlockChecks"/>), serialize, and be accepted by the loopback <see cref="FakeSlack"/> on a
/// <c>response_url</c> (its own Block Kit validator and mention scanner, with <c>Problems</c> and <c>Pings</c>
/// empty). A reply takes one message unless its content needs more: what a learner types never adds a message, and a
/// /regex-test reply is always one message, as promised.
/// </summary>
public class RendererFuzzTests(ITestOutputHelper output)
{
    private const int Lines = 2_000;
    private const int RegexRequests = 600;

    /// <summary>
    /// The most messages any reply may take; a response_url takes five posts. Today every reply of the course fits one
    /// (50 blocks); more leaves room for a longer concept.
    /// </summary>
    private const int MaxMessages = 3;

    [Theory]
    [InlineData(20261211)]
    public async Task RepliesToRandomInputAndTheWholeCourse_RenderWithinBlockKitsLimitsAndPingNobody(int seed)
    {
        var started = Stopwatch.GetTimestamp();
        var failures = new List<string>();
        var replies = await FuzzReplies.CollectAsync(seed, Lines, RegexRequests, mentions: "<!channel> <!here> <@U123> & **ping**", failures);
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

            IReadOnlyList<SlackMessage> messages;
            try
            {
                messages = SlackRenderer.Render(reply);
            }
            catch (Exception exception)
            {
                failures.Add($"{label}: rendering threw {exception}");
                continue;
            }

            counts[messages.Count] = counts.GetValueOrDefault(messages.Count) + 1;
            failures.AddRange(BlockChecks.Violations(messages)
                
                .Select(problem => $"{label} '{FuzzText.Show(reply.Title)}': {problem}"));
            if (messages.Count > MaxMessages || (fromUserText && messages.Count > 1))
            {
                failures.Add($"{label} '{FuzzText.Show(reply.Title)}': {messages.Count} messages");
            }

            try
            {
                // As the pipeline sends them on a response_url: visibility as response_type.
                var responseType = reply.Visibility == ReplyVisibility.OnlyCaller ? "ephemeral" : "in_channel";
                var json = messages.Select(message => JsonSerializer.SerializeToNode(message with { ResponseType = responseType }, SlackJson.Options)!).ToList();
                foreach (var message in json)
                {
                    failures.AddRange(MentionScanner.Scan(label, SlackPayloads.DefaultChannelId, message["text"]?.GetValue<string>(), message["blocks"], linkNames: false)
                        .Select(ping => $"{label}: pings {ping}"));
                    if (message["link_names"] is not null || message["parse"] is not null)
                    {
                        failures.Add($"{label}: link_names or parse set");
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
        var posted = await PostToFakeSlackAsync(bodies.Values.ToList(), failures);
        output.WriteLine($"{replies.Count} replies ({collected.TotalSeconds:0.0} s), {seen.Count} distinct rendered ({(rendered - collected).TotalSeconds:0.0} s), "
            + $"{bodies.Count} distinct posted to the fake as {posted} requests ({(Stopwatch.GetElapsedTime(started) - rendered).TotalSeconds:0.0} s); "
            + $"messages per reply: {string.Join(", ", counts.OrderBy(count => count.Key).Select(count => $"{count.Key}: {count.Value}"))}; ");

        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {seed}):\n{string.Join('\n', failures.Take(15).Select(Clip))}");
        Assert.True(replies.Count > Lines, $"only {replies.Count} replies");
    }

    /// <summary>
    /// Found by this fuzz: Core echoes a learner's words Markdown-escaped (<c>\`\`\`</c> for <c>```</c>), Markdig
    /// reads each escaped backtick as a literal of its own, and SlackMrkdwn breaks a run of backticks only within one
    /// literal, so the echo becomes a bare ``` that Slack pairs with the next one: the rest of the message turns
    /// into a code block. Discord keeps the backslashes and is not affected.
    /// </summary>
    [Fact]
    public async Task ExplainReply_EchoingTripleBackticks_KeepsSlacksCodeBlocksPaired()
    {
        var replies = await CourseReplies.ExplainAsync("```");

        var messages = SlackRenderer.Render(replies[^1]);

        Assert.Equal("Not in this course yet", replies[^1].Title);
        Assert.Empty(BlockChecks.Violations(messages));
    }

    /// <summary>Posts each rendering's messages to a fresh response_url of the fake, which validates them and scans them for mentions; returns the requests made.</summary>
    private static async Task<int> PostToFakeSlackAsync(IReadOnlyList<(string Case, IReadOnlyList<JsonNode> Messages)> renderings, List<string> failures)
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AddChannel(SlackPayloads.DefaultChannelId);
        using var http = new HttpClient();
        var requests = 0;
        var refused = new List<string>();
        await Parallel.ForEachAsync(renderings, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (rendering, cancellationToken) =>
        {
            var responseUrl = slack.NewResponseUrl(SlackPayloads.DefaultChannelId, SlackPayloads.DefaultUserId);
            foreach (var message in rendering.Messages)
            {
                using var content = new StringContent(message.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                using var response = await http.PostAsync(responseUrl, content, cancellationToken);
                Interlocked.Increment(ref requests);
                if (!response.IsSuccessStatusCode)
                {
                    var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                    lock (refused)
                    {
                        refused.Add($"{rendering.Case}: response_url answered {(int)response.StatusCode} {answer}");
                    }
                }
            }
        });

        failures.AddRange(refused);
        failures.AddRange(slack.Problems.Select(problem => "fake Slack: " + problem));
        failures.AddRange(slack.Pings.Select(ping => $"fake Slack: ping {ping}"));
        return requests;
    }

    private static string Clip(string text) => text.Length <= 1_500 ? text : text[..1_500] + "…";
}
