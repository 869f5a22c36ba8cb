using System.Globalization;
using System.Text;
using Bot.Core;
using Bot.Core.Replies;
using Bot.Discord.Rendering;

namespace Bot.Discord.Tests.Rendering;

/// <summary>
/// Every reply the bot can make from the real course, and replies built to be hostile, rendered and
/// checked against every Discord limit, for balanced fences and for lost text.
/// </summary>
public class RenderingLimitSweepTests
{
    [Fact]
    public async Task Render_EveryConceptAndSectionThroughExplainHandler_StaysWithinLimitsAndKeepsEveryWord()
    {
        var replies = await CourseReplies.ExplainAsync("@everyone <@123> **ping**");

        Assert.True(replies.Count > 5 * 30, $"only {replies.Count} replies: is the course loaded?");
        AssertAllRenderWell(replies);
    }

    [Fact]
    public void Render_EveryQuizQuestionAsQuestionResultAndReveal_StaysWithinLimitsAndKeepsEveryWord()
    {
        var replies = CourseReplies.Quiz(Platform.Discord, "1000000000000000001", "1000000000000000002", "900000000000000001");
        var questions = CourseReplies.Course.Concepts.Sum(concept => concept.QuestionCount);

        Assert.True(questions > 30, $"only {questions} questions: is the course loaded?");
        AssertAllRenderWell(replies);
    }

    [Fact]
    public async Task Render_HelpAndRegexTestReplies_StayWithinLimitsAndKeepEveryWord()
    {
        var replies = await CourseReplies.HelpAndRegexAsync(
            new RegexTestRequest(@"(\w+)@(\w+)", "mail @everyone and <@123> at a@b"),
            new RegexTestRequest("a|b", string.Concat(Enumerable.Repeat("ab ", 300))),
            new RegexTestRequest("(", "unbalanced"),
            new RegexTestRequest("```", "```python\nprint(1)\n```", Mode: "findall"));

        AssertAllRenderWell(replies);
    }

    [Fact]
    public void Render_StressReplies_StayWithinLimitsAndKeepEveryWord()
    {
        var replies = new List<Reply>
        {
            new() { Title = "Mixed 50 KB", Summary = "A summary with `code` in it.", Body = MixedBody(50_000), Fields = CourseReplies.Fields(3), Actions = CourseReplies.Actions(5) },
            new() { Title = "Thirty actions", Body = MixedBody(3_000), Actions = CourseReplies.Actions(30) },
            new() { Title = "Forty fields", Body = MixedBody(5_000), Fields = CourseReplies.Fields(40) },
            new() { Title = "Everything", Body = MixedBody(30_000), Fields = CourseReplies.Fields(40), Actions = CourseReplies.Actions(60), Visibility = ReplyVisibility.OnlyCaller },
            new() { Title = new string('T', 400), Body = "```python\n" + string.Join('\n', Enumerable.Range(0, 900).Select(line => $"value_{line} = compute({line}, 'text')")) + "\n```" },
            new() { Title = "One long paragraph", Body = string.Join(' ', Enumerable.Range(0, 3_000).Select(index => "word" + index)) },
            new() { Title = "Long field values", Fields = [new ReplyField("Notes", string.Join(' ', Enumerable.Range(0, 900).Select(index => "note" + index))), new ReplyField(new string('N', 300), "short")] },
            new() { Title = "Wide table", Body = CourseReplies.WideTable(120) },
            new() { Title = "Only a title" },
            new() { Title = "", Body = "" },
            new() { Title = "Emoji 🐍 and 中文", Body = string.Concat(Enumerable.Repeat("🐍中文 ", 3_000)) },
            new() { Title = "Emoji without spaces", Body = "x" + string.Concat(Enumerable.Repeat("🐍", 7_000)) },
            new() { Title = "Quotes and lists", Body = string.Join("\n\n", Enumerable.Range(0, 200).Select(index => $"> quoted {index}\n> more {index}\n\n- item {index}\n  - nested {index}\n1. first {index}")) },
        };

        AssertAllRenderWell(replies);
    }

    [Fact]
    public void Render_FiftyKilobyteBody_FillsMessagesInsteadOfOneEmbedEach()
    {
        var body = MixedBody(50_000);

        var messages = DiscordRenderer.Render(new Reply { Title = "Big", Body = body });

        // 50 000 characters need at least nine 6000-character messages; packing well stays near that.
        Assert.InRange(messages.Count, 9, 12);
    }

    private static void AssertAllRenderWell(List<Reply> replies)
    {
        var failures = new List<string>();
        foreach (var reply in replies)
        {
            var messages = DiscordRenderer.Render(reply);
            failures.AddRange(MessageChecks.Violations(messages).Select(problem => $"{reply.Title}: {problem}"));
            var lost = MessageChecks.LostWords(reply, messages);
            if (lost.Count > 0)
            {
                failures.Add($"{reply.Title}: lost words {string.Join(", ", lost.Take(10).Select(word => $"{word.Key}×{word.Value}"))}");
            }

            var expectedButtons = reply.Actions.Where(action => action.Id.Length is > 0 and <= DiscordLimits.CustomId).Select(action => action.Id).Distinct().ToList();
            var buttons = messages.SelectMany(message => message.Components ?? []).SelectMany(row => row.Components).OfType<DiscordButton>().Select(button => button.CustomId).ToList();
            if (!expectedButtons.SequenceEqual(buttons))
            {
                failures.Add($"{reply.Title}: buttons {string.Join(",", buttons)} instead of {string.Join(",", expectedButtons)}");
            }

            var expectedOptions = reply.Menu?.Groups.SelectMany(group => group.Options).Select(option => option.ActionId).Where(id => id.Length is > 0 and <= DiscordLimits.SelectOptionText).Distinct().ToList() ?? [];
            var options = messages.SelectMany(message => message.Components ?? []).SelectMany(row => row.Components).OfType<DiscordStringSelect>()
                .SelectMany(select => select.Options).Select(option => option.Value).ToList();
            if (!expectedOptions.SequenceEqual(options))
            {
                failures.Add($"{reply.Title}: menu options {string.Join(",", options)} instead of {string.Join(",", expectedOptions)}");
            }

            var flags = reply.Visibility == ReplyVisibility.OnlyCaller ? DiscordLimits.Ephemeral : (int?)null;
            if (messages.Any(message => message.Flags != flags))
            {
                failures.Add($"{reply.Title}: flags differ from the visibility");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    /// <summary>About <paramref name="length"/> characters of paragraphs, lists, quotes, code blocks (some long), tables and headings.</summary>
    internal static string MixedBody(int length)
    {
        var random = new Random(7);
        var body = new StringBuilder();
        for (var block = 0; body.Length < length; block++)
        {
            switch (block % 7)
            {
                case 0:
                    body.Append(CultureInfo.InvariantCulture, $"## Section {block}\n\n");
                    break;
                case 1:
                    body.Append(string.Join(' ', Enumerable.Range(0, random.Next(20, 200)).Select(index => $"para{block}w{index}"))).Append(" with **bold**, `code` and [a link](https://example.com/x).\n\n");
                    break;
                case 2:
                    var lines = random.Next(3, block % 3 == 0 ? 400 : 30);
                    body.Append("```python\n").AppendJoin('\n', Enumerable.Range(0, lines).Select(line => $"code{block}_{line} = [n * {line} for n in range({line})]")).Append("\n```\n\n");
                    break;
                case 3:
                    body.Append("| Name | Kind | Notes |\n|---|:-:|--:|\n")
                        .AppendJoin('\n', Enumerable.Range(0, random.Next(2, 12)).Select(row => $"| cell{block}r{row} | `k{row}` | n{row} |")).Append("\n\n");
                    break;
                case 4:
                    body.AppendJoin('\n', Enumerable.Range(0, random.Next(2, 15)).Select(item => $"- item{block}i{item} with *emphasis*")).Append("\n\n");
                    break;
                case 5:
                    body.Append(CultureInfo.InvariantCulture, $"> quote{block} line one\n> quote{block} line two\n\n#### Deep{block} heading\n\n");
                    break;
                default:
                    body.Append(CourseReplies.WideTable(random.Next(2, 6))).Append("\n\n");
                    break;
            }
        }

        return body.ToString();
    }
}
