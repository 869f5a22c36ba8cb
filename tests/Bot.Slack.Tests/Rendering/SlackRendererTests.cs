using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.Replies;
using Bot.Slack.Rendering;

namespace Bot.Slack.Tests.Rendering;

public class SlackRendererTests
{
    [Theory]
    [InlineData("<!channel>", "&lt;!channel&gt;")]
    [InlineData("<!here> <@U123>", "&lt;!here&gt; &lt;@U123&gt;")]
    [InlineData("fish & chips", "fish &amp; chips")]
    [InlineData("&amp;", "&amp;amp;")]
    [InlineData("*bold* \"quoted\" 'single'", "*bold* \"quoted\" 'single'")]
    public void Escape_ControlCharacters_BecomeEntitiesAndNothingElseChanges(string text, string expected)
    {
        Assert.Equal(expected, SlackRenderer.Escape(text));
    }

    [Fact]
    public void Render_ShortReply_IsHeaderSummaryBodyAndFieldsInOneMessage()
    {
        var reply = new Reply
        {
            Title = "Closures",
            Summary = "A function that remembers.",
            Body = "A **closure** keeps `cells`.",
            Fields = [new ReplyField("Difficulty", "Easy"), new ReplyField("Why", "Due")],
        };

        var message = Assert.Single(SlackRenderer.Render(reply));

        Assert.Collection(
            message.Blocks,
            block => Assert.Equal(SlackText.Plain("Closures"), Assert.IsType<HeaderBlock>(block).Text),
            block => Assert.Equal(SlackText.Mrkdwn("_A function that remembers._\n\nA *closure* keeps `cells`."), Assert.IsType<SectionBlock>(block).Text),
            block => Assert.Equal([SlackText.Mrkdwn("*Difficulty*\nEasy"), SlackText.Mrkdwn("*Why*\nDue")], Assert.IsType<SectionBlock>(block).Fields!));
        Assert.Equal("Closures\nA function that remembers.", message.Text);
        Assert.Null(message.ResponseType);
        Assert.Null(message.ReplaceOriginal);
    }

    [Fact]
    public void Render_MentionsEverywhere_AreEscapedInEveryTextAndEveryMrkdwnIsVerbatim()
    {
        const string Ping = "<!channel> <!here> <!everyone> <@U123> <#C1> <!subteam^S1> &";
        var reply = new Reply
        {
            Title = Ping,
            Summary = Ping,
            Body = "Hi " + Ping + "\n\n" + Ping + "\n\n`" + Ping + "`\n\n```\n" + Ping + "\n```\n\n| " + Ping + " |\n|---|\n| x |",
            Fields = [new ReplyField(Ping, Ping)],
            Actions = [new ReplyAction("explain:x", Ping)],
        };

        var message = Assert.Single(SlackRenderer.Render(reply));
        var json = JsonSerializer.Serialize(message, SlackJson.Options);

        Assert.Empty(BlockChecks.Violations([message]));
        Assert.DoesNotContain("<!", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<#", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("link_names", json, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", message.Text, StringComparison.Ordinal);
        var mrkdwn = JsonNode.Parse(json)!.AsObject()["blocks"]!.AsArray()
            .SelectMany(block => new[] { block!["text"] }.Concat(block["fields"]?.AsArray() ?? []))
            .Where(text => text?["type"]?.GetValue<string>() == "mrkdwn")
            .ToList();
        Assert.Equal(2, mrkdwn.Count);
        Assert.All(mrkdwn, text => Assert.True(text!["verbatim"]!.GetValue<bool>()));
    }

    /// <summary>The summary is Markdown, as Discord and the terminal read it: it becomes mrkdwn, in italics.</summary>
    [Theory]
    [InlineData("Use **bold**, `code` and [the docs](https://docs.python.org/3/).", "_Use *bold*, `code` and <https://docs.python.org/3/|the docs>._")]
    [InlineData("Not *italic* inside, & \\*literal\\*.", "_Not italic inside, &amp; *\u200Bliteral\u200B*._")]
    [InlineData("A `__name__` keeps **its** underscores.", "A `__name__` keeps *its* underscores.")]
    [InlineData("Entities &ast;x&ast; &lt;!channel&gt;", "_Entities *\u200Bx\u200B* &lt;!channel&gt;_")]
    public void Render_SummaryMarkdown_IsWrittenAsMrkdwn(string summary, string expected)
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "T", Summary = summary }));

        Assert.Equal(SlackText.Mrkdwn(expected), Assert.IsType<SectionBlock>(message.Blocks[1]).Text);
    }

    [Fact]
    public void Render_ConceptSummaries_AreWrittenAsMrkdwnLikeTheBody()
    {
        var concept = CourseReplies.Course.FindById("args-and-kwargs")!;

        var message = SlackRenderer.Render(new Reply { Title = concept.Title, Summary = concept.Summary })[0];

        var summary = Assert.IsType<SectionBlock>(message.Blocks[1]).Text!.Text;
        Assert.StartsWith("_In a function definition, `*args` collects", summary, StringComparison.Ordinal);
        Assert.Equal(Assert.Single(SlackMrkdwn.Blocks(concept.Summary)).Render(), summary[1..^1]);
    }

    /// <summary>The notification text of every message, whatever part of the reply it comes from, neither pings nor links.</summary>
    [Fact]
    public void Render_FallbackTextFromAnyPartOfTheReply_HasEveryMentionEscaped()
    {
        const string Ping = "<!channel> <!here> <!everyone> <@U123> <#C1> <!subteam^S1> <https://example.com|x> & &lt;!here&gt;";
        var replies = new[]
        {
            new Reply { Title = Ping, Summary = Ping, Body = Ping },
            new Reply { Title = "", Body = Ping + "\n\n`" + Ping + "`\n\n```\n" + Ping + "\n```" },
            new Reply { Title = " ", Fields = [new ReplyField(Ping, Ping)] },
            new Reply { Title = " ", Actions = [new ReplyAction("explain:x", Ping)] },
            new Reply { Title = Ping, Body = string.Join("\n\n***\n\n", Enumerable.Repeat(Ping, 80)) },
        };

        foreach (var reply in replies)
        {
            var messages = SlackRenderer.Render(reply);

            Assert.All(messages, message =>
            {
                Assert.DoesNotContain("<", message.Text, StringComparison.Ordinal);
                Assert.DoesNotContain(">", message.Text, StringComparison.Ordinal);
                Assert.DoesNotMatch("&(?!amp;|lt;|gt;)", message.Text);
                Assert.InRange(message.Text.Length, 1, SlackLimits.TextObject);
            });
        }

        Assert.True(SlackRenderer.Render(replies[^1]).Count > 1);
    }

    /// <summary>A word of ZWJ sequences and flags with no space to cut at, longer than a section, in text and in code: every section holds whole characters only.</summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(5, false)]
    [InlineData(0, true)]
    [InlineData(3, true)]
    public void Render_WordOfEmojiSequencesLongerThanASection_CutsOnlyBetweenWholeCharacters(int offset, bool inCode)
    {
        const string family = "\U0001F469\u200D\U0001F469\u200D\U0001F467";
        const string flag = "\U0001F1EB\U0001F1F7";
        var word = new string('x', offset) + string.Concat(Enumerable.Repeat(family + flag, 600));

        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Emoji", Body = inCode ? "```\n" + word + "\n```" : word }));

        Assert.Empty(BlockChecks.Violations([message]));
        var texts = message.Blocks.OfType<SectionBlock>().Select(block => block.Text!.Text).ToList();
        Assert.True(texts.Count > 1);
        var shown = texts.Select(text => inCode ? text["```\n".Length..^"\n```".Length] : text).ToList();
        Assert.Equal(word, string.Concat(shown).Replace("\n", "", StringComparison.Ordinal));
        Assert.All(shown.SelectMany(TextElements), element => Assert.Contains(element, new[] { "x", "\n", family, flag }));
    }

    /// <summary>Suggested titles go into the Markdown escaped, so Slack bolds each one whole and shows its asterisks.</summary>
    [Fact]
    public async Task Render_SuggestionOfATitleOfAsterisks_BoldsTheTitleAsWritten()
    {
        var result = await new ExplainHandler(new FixedCourse()).HandleAsync(new ExplainRequest("args generators"), CancellationToken.None);

        var message = Assert.Single(SlackRenderer.Render(result.Reply));

        var pairs = message.Blocks.OfType<SectionBlock>().SelectMany(block => MrkdwnFormatting.Pairs(block.Text!.Text)).ToList();
        Assert.Contains(('*', "*args and **kwargs"), pairs);
    }

    [Fact]
    public void Render_CourseMenu_OptionTextsAreTheTitlesWithoutMarkdownEscapes()
    {
        var message = SlackRenderer.Render(new Reply { Title = "Course", Menu = CourseMenu.Menu(CourseReplies.Course) })[0];

        var options = message.Blocks.OfType<SectionBlock>().Select(block => block.Accessory).OfType<SlackStaticSelect>()
            .SelectMany(select => select.OptionGroups).SelectMany(group => group.Options).Select(option => option.Text.Text).ToList();
        Assert.Contains("*args and **kwargs", options);
        Assert.Contains("if __name__ == \"__main__\"", options);
        Assert.DoesNotContain(options, text => text.Contains('\\', StringComparison.Ordinal));
    }

    [Fact]
    public void Render_LongCodeBlock_IsSplitIntoSeveralCompleteCodeBlocks()
    {
        var lines = Enumerable.Range(0, 400).Select(line => $"value_{line} = compute({line}) if a < b else None").ToList();

        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Code", Body = "```python\n" + string.Join('\n', lines) + "\n```" }));

        var sections = message.Blocks.OfType<SectionBlock>().Select(section => section.Text!.Text).ToList();
        Assert.True(sections.Count >= 6, $"{sections.Count} sections");
        Assert.All(sections, text =>
        {
            Assert.True(text.Length <= SlackLimits.SectionText);
            Assert.StartsWith("```\n", text, StringComparison.Ordinal);
            Assert.EndsWith("\n```", text, StringComparison.Ordinal);
        });
        var code = sections.SelectMany(text => text[4..^4].Split('\n')).Select(BlockChecks.Unescape);
        Assert.Equal(lines, code);
    }

    [Fact]
    public void Render_LongParagraph_IsCutBetweenWordsAndKeepsLinksWhole()
    {
        var words = Enumerable.Range(0, 1_500).Select(index => index % 10 == 0 ? $"[link {index}](https://example.com/{index})" : "word" + index);

        var messages = SlackRenderer.Render(new Reply { Title = "Words", Body = string.Join(' ', words) });

        Assert.Empty(BlockChecks.Violations(messages));
        var sections = messages.SelectMany(message => message.Blocks.OfType<SectionBlock>()).Select(section => section.Text!.Text).ToList();
        Assert.True(sections.Count > 1);
        Assert.All(sections, text => Assert.Equal(text.Count(character => character == '<'), text.Count(character => character == '>')));
    }

    [Fact]
    public void Render_MoreThanFiftyBlocks_ContinuesInAnotherMessageWithButtonsOnTheLast()
    {
        // Each code block nearly fills a section, so sixty of them need sixty sections.
        var block = "```\n" + new string('x', 2_900) + "\n```";
        var reply = new Reply { Title = "Long", Body = string.Join("\n\n", Enumerable.Repeat(block, 60)), Actions = Actions(3) };

        var messages = SlackRenderer.Render(reply);

        Assert.Equal(2, messages.Count);
        Assert.Equal(SlackLimits.Blocks, messages[0].Blocks.Count);
        Assert.IsType<HeaderBlock>(messages[0].Blocks[0]);
        Assert.DoesNotContain(messages[1].Blocks, block => block is HeaderBlock);
        Assert.Equal(60, messages.Sum(message => message.Blocks.Count(block => block is SectionBlock)));
        Assert.DoesNotContain(messages[0].Blocks, block => block is ActionsBlock);
        Assert.IsType<ActionsBlock>(messages[1].Blocks[^1]);
        Assert.Equal("Long (continued)", messages[1].Text);
        Assert.Empty(BlockChecks.Violations(messages));
    }

    [Fact]
    public void Render_ContentFillingFiftyBlocks_PutsTheButtonsInAMessageOfTheirOwn()
    {
        var block = "```\n" + new string('x', 2_900) + "\n```";
        var reply = new Reply { Title = "Full", Body = string.Join("\n\n", Enumerable.Repeat(block, 49)), Actions = Actions(30) };

        var messages = SlackRenderer.Render(reply);

        Assert.Equal(2, messages.Count);
        Assert.Equal(50, messages[0].Blocks.Count);
        Assert.All(messages[1].Blocks, block => Assert.IsType<ActionsBlock>(block));
        Assert.Equal(2, messages[1].Blocks.Count);
    }

    [Fact]
    public void Render_ThirtyActions_MakeTwoActionsBlocksInOrder()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Many", Body = "Pick one.", Actions = Actions(30) }));

        var rows = message.Blocks.OfType<ActionsBlock>().ToList();
        Assert.Equal([25, 5], rows.Select(row => row.Elements.Count));
        Assert.Equal(Actions(30).Select(action => action.Id), rows.SelectMany(row => row.Elements).Select(button => button.ActionId));
        Assert.All(rows.SelectMany(row => row.Elements), button => Assert.Equal(button.ActionId, button.Value));
        Assert.IsType<ActionsBlock>(message.Blocks[^1]);
    }

    [Fact]
    public void Render_ActionIdsTooLongEmptyOrRepeated_AreDropped()
    {
        var longest = new string('a', SlackLimits.ActionId);
        var tooLong = new string('b', SlackLimits.ActionId + 1);
        var reply = new Reply
        {
            Title = "Ids",
            Actions = [new(longest, "Kept"), new(tooLong, "Dropped"), new("", "Empty"), new("quiz:next", "Next"), new("quiz:next", "Again")],
        };

        var message = Assert.Single(SlackRenderer.Render(reply));

        var buttons = Assert.Single(message.Blocks.OfType<ActionsBlock>()).Elements;
        Assert.Equal([longest, "quiz:next"], buttons.Select(button => button.ActionId));
        Assert.Equal(["Kept", "Next"], buttons.Select(button => button.Text.Text));
    }

    [Fact]
    public void Render_LongButtonLabelAndTitle_AreClippedWithAnEllipsis()
    {
        var reply = new Reply { Title = new string('T', 400), Actions = [new ReplyAction("explain:x", new string('L', 200) + " & more")] };

        var message = Assert.Single(SlackRenderer.Render(reply));

        var header = Assert.IsType<HeaderBlock>(message.Blocks[0]).Text.Text;
        Assert.Equal(SlackLimits.HeaderText, header.Length);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
        var label = Assert.Single(message.Blocks.OfType<ActionsBlock>()).Elements[0].Text.Text;
        Assert.Equal(SlackLimits.ButtonText, label.Length);
        Assert.Equal(new string('L', 74) + "…", label);
    }

    [Fact]
    public void Render_ClippedEscapedTitle_StaysWithinTheHeaderLimitAsSent()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = string.Concat(Enumerable.Repeat("a&b ", 60)) }));

        var header = Assert.IsType<HeaderBlock>(message.Blocks[0]).Text.Text;
        Assert.True(header.Length <= SlackLimits.HeaderText, $"{header.Length}");
        Assert.DoesNotContain("&amp…", header, StringComparison.Ordinal);
        Assert.EndsWith("…", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ReplyTone.Info, "Quiz")]
    [InlineData(ReplyTone.Success, "✅ Quiz")]
    [InlineData(ReplyTone.Warning, "⚠️ Quiz")]
    [InlineData(ReplyTone.Error, "❌ Quiz")]
    public void Render_Tone_MarksTheHeader(ReplyTone tone, string header)
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Quiz", Tone = tone }));

        Assert.Equal(header, Assert.IsType<HeaderBlock>(message.Blocks[0]).Text.Text);
    }

    [Fact]
    public void Render_TwelveFields_FillSectionsOfTen()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Stats", Fields = CourseReplies.Fields(12) }));

        Assert.Equal([10, 2], message.Blocks.OfType<SectionBlock>().Select(section => section.Fields!.Count));
        Assert.Equal("*Field0*\nvalue0", message.Blocks.OfType<SectionBlock>().First().Fields![0].Text);
    }

    [Fact]
    public void Render_LongFieldValue_ContinuesInFurtherFields()
    {
        var value = string.Join(' ', Enumerable.Range(0, 900).Select(index => "note" + index));

        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Notes", Fields = [new ReplyField("Notes", value)] }));

        var fields = Assert.Single(message.Blocks.OfType<SectionBlock>()).Fields!;
        Assert.True(fields.Count >= 4);
        Assert.StartsWith("*Notes*\nnote0 ", fields[0].Text, StringComparison.Ordinal);
        Assert.All(fields.Skip(1), field => Assert.StartsWith("*Notes* (continued)\n", field.Text, StringComparison.Ordinal));
        Assert.Empty(BlockChecks.Violations([message]));
    }

    [Fact]
    public void Render_Fallback_IsTitleAndFirstLinesAsEscapedPlainText()
    {
        var body = "## Start\n\nFirst **line** & <b>more</b>.\n\nSecond.\n\nThird.\n\nFourth.";

        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Title <@U1>", Body = body }));

        Assert.Equal("Title &lt;@U1&gt;\nStart First line &amp; more. Second.", message.Text);
    }

    [Fact]
    public void Render_EmptyReply_StillHasAFallbackText()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = " ", Body = "" }));

        Assert.Equal("…", message.Text);
        Assert.Empty(message.Blocks);
        Assert.DoesNotContain("blocks", JsonSerializer.Serialize(message, SlackJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LongFallback_IsClipped()
    {
        var message = SlackRenderer.Render(new Reply { Title = "T", Summary = string.Concat(Enumerable.Repeat("<&> ", 2_000)) })[0];

        Assert.InRange(message.Text.Length, 10, SlackLimits.TextObject);
        Assert.EndsWith("…", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SameReplyTwice_ReturnsTheRenderedMessagesOfTheFirstCall()
    {
        var reply = new Reply { Title = "Cached", Body = "Some **text**." };

        Assert.Same(SlackRenderer.Render(reply), SlackRenderer.Render(reply));
        Assert.NotSame(SlackRenderer.Render(reply), SlackRenderer.Render(reply with { }));
    }

    [Fact]
    public void Serialize_Message_UsesSlackTypesSnakeCaseAndOmitsNulls()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Quiz", Body = "Which?\n\n---\n\nPick.", Actions = [ReplyActions.Answer(42, 1, "B")] })) with
        {
            ResponseType = "in_channel",
            ReplaceOriginal = true,
            ThreadTs = "1700000000.000100",
            Metadata = new SlackMetadata("tutor_quiz", new Dictionary<string, string> { ["instanceId"] = "42" }),
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(message, SlackJson.Options))!.AsObject();

        var expected = JsonNode.Parse(
            """{"text":"Quiz\nWhich? Pick.","response_type":"in_channel","replace_original":true,"thread_ts":"1700000000.000100","metadata":{"event_type":"tutor_quiz","event_payload":{"instanceId":"42"}},"blocks":[{"type":"header","text":{"type":"plain_text","text":"Quiz","emoji":true}},{"type":"section","text":{"type":"mrkdwn","text":"Which?","verbatim":true}},{"type":"divider"},{"type":"section","text":{"type":"mrkdwn","text":"Pick.","verbatim":true}},{"type":"actions","elements":[{"action_id":"quiz:answer:42:1","text":{"type":"plain_text","text":"B","emoji":true},"value":"quiz:answer:42:1","type":"button"}]}]}""");
        Assert.True(JsonNode.DeepEquals(expected, json), json.ToJsonString());
    }

    [Fact]
    public void Deserialize_SerializedMessage_GivesTheSameBlocks()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply
        {
            Title = "Round trip",
            Body = "Text & more\n\n---\n\n```\ncode\n```",
            Fields = [new ReplyField("A", "b")],
            Actions = Actions(3),
        }));

        var copy = JsonSerializer.Deserialize<SlackMessage>(JsonSerializer.Serialize(message, SlackJson.Options), SlackJson.Options)!;

        Assert.Equal(message.Text, copy.Text);
        Assert.Equal(
            JsonSerializer.Serialize(message.Blocks, SlackJson.Options),
            JsonSerializer.Serialize(copy.Blocks, SlackJson.Options));
        Assert.Equal(message.Blocks.Select(block => block.GetType()), copy.Blocks.Select(block => block.GetType()));
    }

    [Fact]
    public void Render_CourseSizedMenu_IsOneStaticSelectWithAGroupPerTopicBeforeTheButtons()
    {
        var menu = CourseReplies.Menu(9, 6, 4, 8, 9, 12, 11, 9, 6, 6, 3);

        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Course", Body = "Topics.", Menu = menu, Actions = Actions(2) }));

        var section = Assert.Single(message.Blocks.OfType<SectionBlock>(), block => block.Accessory is not null);
        var select = section.Accessory!;
        Assert.Equal("static_select", select.Type);
        Assert.Equal(menu.Groups.Select(group => group.Label), select.OptionGroups.Select(group => group.Label.Text));
        Assert.Equal(menu.Groups.SelectMany(group => group.Options).Select(option => option.ActionId), select.OptionGroups.SelectMany(group => group.Options).Select(option => option.Value));
        Assert.True(message.Blocks.ToList().IndexOf(section) < message.Blocks.ToList().FindIndex(block => block is ActionsBlock));
        Assert.Empty(BlockChecks.Violations([message]));
    }

    [Fact]
    public void Render_MenuOfMoreThan100Options_BecomesSeveralSelectsOfWholeGroups()
    {
        var menu = CourseReplies.Menu(60, 30, 20, 110);

        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "Big", Menu = menu }));

        var selects = message.Blocks.OfType<SectionBlock>().Select(block => block.Accessory).OfType<SlackStaticSelect>().ToList();
        Assert.Equal([90, 20, 100, 10], selects.Select(select => select.OptionGroups.Sum(group => group.Options.Count)));
        Assert.Equal(["menu:1", "menu:2", "menu:3", "menu:4"], selects.Select(select => select.ActionId));
        Assert.Empty(BlockChecks.Violations([message]));
    }

    [Fact]
    public void Render_MenuLabelsWithMarkup_AreEscapedAndClippedTo75()
    {
        var menu = new ReplyMenu("<!channel>", [new ReplyMenuGroup("A & B", [new ReplyMenuOption("explain:x", "<@U123> " + new string('x', 100))])]);

        var select = Assert.Single(Assert.Single(SlackRenderer.Render(new Reply { Title = "T", Menu = menu })).Blocks.OfType<SectionBlock>()).Accessory!;

        Assert.Equal("&lt;!channel&gt;", select.Placeholder.Text);
        Assert.Equal("A &amp; B", select.OptionGroups[0].Label.Text);
        Assert.StartsWith("&lt;@U123&gt; ", select.OptionGroups[0].Options[0].Text.Text, StringComparison.Ordinal);
        Assert.True(select.OptionGroups[0].Options[0].Text.Text.Length <= 75);
    }

    private static List<ReplyAction> Actions(int count) => CourseReplies.Actions(count);

    private sealed class FixedCourse : IKnowledgeBaseSource
    {
        public KnowledgeBase Current => CourseReplies.Course;
    }

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }
}
