using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Explain;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.Discord.Rendering;
using Markdig.Syntax;

namespace Bot.Discord.Tests.Rendering;

public class DiscordRendererTests
{
    [Fact]
    public void Render_ShortReply_IsOneEmbedWithTitleSummaryBodyAndFields()
    {
        var reply = new Reply
        {
            Title = "Closures",
            Summary = "A function that remembers.",
            Body = "A **closure** keeps `cells`.",
            Fields = [new ReplyField("Difficulty", "Easy"), new ReplyField("Why", "Due", Inline: false)],
        };

        var message = Assert.Single(DiscordRenderer.Render(reply));

        var embed = Assert.Single(message.Embeds!);
        Assert.Equal("Closures", embed.Title);
        Assert.Equal("*A function that remembers.*\n\nA **closure** keeps `cells`.", embed.Description);
        Assert.Equal([new DiscordEmbedField("Difficulty", "Easy", true), new DiscordEmbedField("Why", "Due", false)], embed.Fields!);
        Assert.Null(message.Content);
        Assert.Null(message.Components);
        Assert.Null(message.Flags);
    }

    [Theory]
    [InlineData(ReplyTone.Info, 0x3B82F6)]
    [InlineData(ReplyTone.Success, 0x22C55E)]
    [InlineData(ReplyTone.Warning, 0xF59E0B)]
    [InlineData(ReplyTone.Error, 0xEF4444)]
    public void Render_Tone_ColoursEveryEmbed(ReplyTone tone, int colour)
    {
        var messages = DiscordRenderer.Render(new Reply { Title = "T", Body = RenderingLimitSweepTests.MixedBody(20_000), Tone = tone });

        Assert.True(messages.Count > 1);
        Assert.All(messages.SelectMany(message => message.Embeds!), embed => Assert.Equal(colour, embed.Color));
    }

    [Fact]
    public void Render_OnlyCaller_SetsEphemeralOnEveryMessage()
    {
        var reply = new Reply { Title = "Mine", Body = RenderingLimitSweepTests.MixedBody(20_000), Actions = Actions(30), Visibility = ReplyVisibility.OnlyCaller };

        var messages = DiscordRenderer.Render(reply);

        Assert.True(messages.Count > 2);
        Assert.All(messages, message => Assert.Equal(64, message.Flags));
        Assert.All(messages, message => Assert.Equal(64, Json(message)["flags"]!.GetValue<int>()));
    }

    [Fact]
    public void Render_Public_SendsNoFlags()
    {
        var json = Json(Assert.Single(DiscordRenderer.Render(new Reply { Title = "Everyone's" })));

        Assert.False(json.ContainsKey("flags"));
    }

    [Fact]
    public void Render_TwelveActions_PutsThemInRowsOfFiveInOrder()
    {
        var message = Assert.Single(DiscordRenderer.Render(new Reply { Title = "T", Actions = Actions(12) }));

        Assert.Equal([5, 5, 2], message.Components!.Select(row => row.Components.Count));
        Assert.Equal(Actions(12).Select(action => action.Id), message.Components!.SelectMany(row => row.Components).Cast<DiscordButton>().Select(button => button.CustomId));
    }

    [Fact]
    public void Render_ThirtyActions_SpillsTheRestOntoAFollowUpUnderTheTitle()
    {
        var messages = DiscordRenderer.Render(new Reply { Title = "Many", Body = "Pick one.", Actions = Actions(30) });

        Assert.Equal(2, messages.Count);
        Assert.Equal(25, messages[0].Components!.Sum(row => row.Components.Count));
        Assert.Equal(5, messages[0].Components!.Count);
        Assert.Equal(Actions(30).Skip(25).Select(action => action.Id), messages[1].Components!.SelectMany(row => row.Components).Cast<DiscordButton>().Select(button => button.CustomId));
        Assert.Equal("Many (continued)", Assert.Single(messages[1].Embeds!).Title);
        Assert.Empty(MessageChecks.Violations(messages));
    }

    [Fact]
    public void Render_LongBodyWithActions_PutsButtonsOnTheLastMessageOnly()
    {
        var messages = DiscordRenderer.Render(new Reply { Title = "Long", Body = RenderingLimitSweepTests.MixedBody(30_000), Actions = Actions(3) });

        Assert.True(messages.Count > 1);
        Assert.All(messages.SkipLast(1), message => Assert.Null(message.Components));
        Assert.Equal(3, messages[^1].Components!.Single().Components.Count);
        Assert.Equal("Long", messages[0].Embeds![0].Title);
        Assert.All(messages.Skip(1), message => Assert.Equal("Long (continued)", message.Embeds![0].Title));
        Assert.All(messages.SelectMany(message => message.Embeds!.Skip(1)), embed => Assert.Null(embed.Title));
    }

    [Fact]
    public void Render_LabelLongerThan80_IsClippedWithAnEllipsis()
    {
        var label = string.Concat(Enumerable.Repeat("0123456789", 10));

        var button = Assert.IsType<DiscordButton>(Assert.Single(DiscordRenderer.Render(new Reply { Title = "T", Actions = [new ReplyAction("explain:x", label)] })[0].Components!.Single().Components));

        Assert.Equal(80, button.Label.Length);
        Assert.Equal(label[..79] + "…", button.Label);
    }

    [Fact]
    public void Render_CustomIdLongerThan100OrEmptyOrRepeated_DropsThatButtonOnly()
    {
        var actions = new[]
        {
            new ReplyAction("explain:" + new string('x', 92), "Longest allowed"),
            new ReplyAction("explain:" + new string('x', 93), "One too long"),
            new ReplyAction("", "Empty"),
            new ReplyAction("quiz:next", "Next"),
            new ReplyAction("quiz:next", "Next again"),
        };

        var buttons = DiscordRenderer.Render(new Reply { Title = "T", Actions = actions })[0].Components!.SelectMany(row => row.Components).Cast<DiscordButton>().ToList();

        Assert.Equal(["Longest allowed", "Next"], buttons.Select(button => button.Label));
        Assert.Equal(100, buttons[0].CustomId!.Length);
    }

    [Fact]
    public void Render_QuizAnswers_ArePrimaryAndOtherActionsSecondary()
    {
        var actions = new[] { ReplyActions.Answer(7, 0, "A. yes"), ReplyActions.Answer(7, 1, "B. no"), ReplyActions.Explain("gil", "Explain"), ReplyActions.NextQuestion(null, "Next") };

        var buttons = DiscordRenderer.Render(new Reply { Title = "Q", Actions = actions })[0].Components!.Single().Components.Cast<DiscordButton>();

        Assert.Equal([DiscordButtonStyle.Primary, DiscordButtonStyle.Primary, DiscordButtonStyle.Secondary, DiscordButtonStyle.Secondary], buttons.Select(button => button.Style));
    }

    [Fact]
    public void Serialize_AnyMessage_CarriesEmptyAllowedMentionsAndDiscordFieldNames()
    {
        var message = DiscordRenderer.Render(new Reply { Title = "T", Body = "b", Fields = [new ReplyField("n", "v")], Actions = [ReplyActions.Explain("gil", "GIL")] })[0];

        var json = Json(message);

        Assert.Equal("{\"parse\":[]}", json["allowed_mentions"]!.ToJsonString());
        var row = json["components"]![0]!;
        Assert.Equal(1, row["type"]!.GetValue<int>());
        Assert.Equal("""{"style":2,"label":"GIL","custom_id":"explain:gil","type":2}""", row["components"]![0]!.ToJsonString());
        Assert.Equal("""{"name":"n","value":"v","inline":true}""", json["embeds"]![0]!["fields"]![0]!.ToJsonString());
        Assert.False(json.ContainsKey("content"));
        Assert.False(json.ContainsKey("nonce"));
        Assert.False(json.ContainsKey("enforce_nonce"));
    }

    [Fact]
    public void Render_TextWithEveryoneAndUserMention_KeepsTheTextAndAllowsNoMentions()
    {
        const string body = "Ping @everyone and @here, <@123>, <@!456> and <@&789>.";

        var messages = DiscordRenderer.Render(new Reply { Title = "@everyone <@123>", Summary = "<@123> says hi", Body = body, Fields = [new ReplyField("Who", "<@123> @everyone")] });

        var message = Assert.Single(messages);
        var embed = Assert.Single(message.Embeds!);
        Assert.Equal("@everyone <@123>", embed.Title);
        Assert.Equal("*<@123> says hi*\n\n" + body, embed.Description);
        Assert.Equal("<@123> @everyone", embed.Fields![0].Value);
        Assert.Empty(message.AllowedMentions.Parse);
        Assert.Equal("{\"parse\":[]}", Json(message)["allowed_mentions"]!.ToJsonString());
    }

    [Fact]
    public void Render_CodeBlockLongerThanAnEmbed_SplitsIntoWholeFencesWithTheLanguage()
    {
        var lines = Enumerable.Range(0, 700).Select(line => $"total_{line} = sum(range({line}))").ToList();

        var messages = DiscordRenderer.Render(new Reply { Title = "Code", Body = "```python\n" + string.Join('\n', lines) + "\n```" });

        var descriptions = messages.SelectMany(message => message.Embeds!).Select(embed => embed.Description!).ToList();
        Assert.True(descriptions.Count > 2);
        Assert.All(descriptions, description =>
        {
            Assert.StartsWith("```python\n", description, StringComparison.Ordinal);
            Assert.EndsWith("\n```", description, StringComparison.Ordinal);
            Assert.True(MessageChecks.FencesBalanced(description));
        });
        var code = descriptions.SelectMany(description => description["```python\n".Length..^"\n```".Length].Split('\n'));
        Assert.Equal(lines, code);
        Assert.Empty(MessageChecks.Violations(messages));
    }

    /// <summary>
    /// A list item with a long paragraph and a Python function, too long for one embed: wherever the cut falls,
    /// every piece of code is a whole code block with the code's own indentation, neither lost nor added.
    /// </summary>
    [Theory]
    [InlineData(40)]
    [InlineData(300)]
    public void Render_CodeBlockInListItemAcrossEmbeds_KeepsTheCodesIndentation(int functions)
    {
        var code = Enumerable.Range(0, functions).SelectMany(index => new[] { $"def step_{index}(values):", $"    return sum(values) * {index}" }).ToList();
        var paragraph = string.Join(' ', Enumerable.Range(0, 500).Select(index => "word" + index));
        var body = $"1. {paragraph}\n\n   ```python\n{string.Join('\n', code.Select(line => "   " + line))}\n   ```\n\n2. Run them.";

        var messages = DiscordRenderer.Render(new Reply { Title = "Steps", Body = body });

        Assert.Empty(MessageChecks.Violations(messages));
        var fences = messages.SelectMany(message => message.Embeds!)
            .SelectMany(embed => MarkdownDialect.Parse(embed.Description!).Descendants<FencedCodeBlock>())
            .ToList();
        Assert.All(fences, fence => Assert.Equal("python", fence.Info));
        Assert.Equal(code, fences.SelectMany(fence => fence.Lines.ToString().TrimEnd('\n').Split('\n')));
    }

    /// <summary>
    /// A word of ZWJ sequences and flags with no space to cut at, longer than an embed, in the body and in a
    /// field: wherever the limit falls, every embed and field holds whole characters only, and nothing is lost.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Render_WordOfEmojiSequencesLongerThanAnEmbed_CutsOnlyBetweenWholeCharacters(int offset)
    {
        const string family = "\U0001F469\u200D\U0001F469\u200D\U0001F467";
        const string flag = "\U0001F1EB\U0001F1F7";
        var word = new string('x', offset) + string.Concat(Enumerable.Repeat(family + flag, 500));

        var fieldValue = TextClip.Prefix(word, 3000);

        var messages = DiscordRenderer.Render(new Reply { Title = "Emoji", Body = word, Fields = [new ReplyField("Field", fieldValue)] });

        Assert.Empty(MessageChecks.Violations(messages));
        var embeds = messages.SelectMany(message => message.Embeds!).ToList();
        var descriptions = embeds.Select(embed => embed.Description).OfType<string>().ToList();
        var values = embeds.SelectMany(embed => embed.Fields ?? []).Select(field => field.Value).ToList();
        Assert.True(descriptions.Count > 1 && values.Count > 1);
        Assert.Equal(word, string.Concat(descriptions));
        Assert.Equal(fieldValue, string.Concat(values));
        Assert.All(descriptions.Concat(values).SelectMany(TextElements), element => Assert.Contains(element, new[] { "x", family, flag }));
    }

    [Fact]
    public void Render_CourseMenu_OptionLabelsAreTheTitlesAsWritten()
    {
        var menu = CourseMenu.Menu(CourseReplies.Course);

        var options = DiscordRenderer.Render(new Reply { Title = "Course", Menu = menu })
            .SelectMany(message => message.Components ?? []).SelectMany(row => row.Components).OfType<DiscordStringSelect>()
            .SelectMany(select => select.Options).ToList();

        Assert.Contains(options, option => option.Label == "*args and **kwargs");
        Assert.Contains(options, option => option.Label == "if __name__ == \"__main__\"");
        Assert.DoesNotContain(options, option => option.Label.Contains('\\', StringComparison.Ordinal));
    }

    [Fact]
    public void Render_FortyFields_PutsTwentyFiveOnTheLastBodyEmbedAndTheRestOnTheNext()
    {
        var fields = Enumerable.Range(0, 40).Select(index => new ReplyField($"F{index}", $"v{index}")).ToList();

        var message = Assert.Single(DiscordRenderer.Render(new Reply { Title = "Fields", Body = "Body.", Fields = fields }));

        Assert.Equal(2, message.Embeds!.Count);
        Assert.Equal("Body.", message.Embeds[0].Description);
        Assert.Equal(25, message.Embeds[0].Fields!.Count);
        Assert.Equal(15, message.Embeds[1].Fields!.Count);
        Assert.Equal(fields.Select(field => field.Name), message.Embeds.SelectMany(embed => embed.Fields!).Select(field => field.Name));
    }

    [Fact]
    public void Render_FieldValueLongerThanAllowed_ContinuesInFurtherFields()
    {
        var value = string.Join(' ', Enumerable.Range(0, 500).Select(index => "w" + index));

        var fields = Assert.Single(DiscordRenderer.Render(new Reply { Title = "T", Fields = [new ReplyField("Notes", value), new ReplyField("", "")] })).Embeds!.Single().Fields!;

        Assert.Equal(["Notes", "Notes (continued)", "Notes (continued)", "\u200B"], fields.Select(field => field.Name));
        Assert.Equal(value, string.Join(' ', fields.SkipLast(1).Select(field => field.Value)));
        Assert.All(fields, field => Assert.InRange(field.Value.Length, 1, 1024));
    }

    [Fact]
    public void Render_TitleLongerThan256_IsClipped()
    {
        var embed = DiscordRenderer.Render(new Reply { Title = new string('t', 300), Body = "x" })[0].Embeds!.Single();

        Assert.Equal(256, embed.Title!.Length);
        Assert.EndsWith("…", embed.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyReply_StillSendsOneValidMessage()
    {
        var messages = DiscordRenderer.Render(new Reply { Title = " " });

        Assert.Single(messages);
        Assert.Empty(MessageChecks.Violations(messages));
    }

    [Fact]
    public void Notice_LongText_IsOneEphemeralMessageClippedTo2000()
    {
        var notice = DiscordRenderer.Notice(new string('x', 2500));

        Assert.Equal(2000, notice.Content!.Length);
        Assert.Equal(64, notice.Flags);
        Assert.Empty(notice.AllowedMentions.Parse);
        Assert.Null(DiscordRenderer.Notice("hi", ReplyVisibility.Public).Flags);
    }

    [Fact]
    public void Violations_MessagesBreakingLimits_AreReported()
    {
        var bad = new DiscordMessage
        {
            Embeds = [new DiscordEmbed { Description = new string('d', 4097) }, new DiscordEmbed { Description = "```python\nopen" }],
            Components = [new DiscordActionRow([new DiscordButton(DiscordButtonStyle.Primary, "a", "same"), new DiscordButton(DiscordButtonStyle.Primary, "", "same")])],
            AllowedMentions = new DiscordAllowedMentions(["everyone"]),
        };

        var problems = MessageChecks.Violations([bad]);

        Assert.Contains(problems, problem => problem.Contains("description length", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("unbalanced code fence", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("repeated custom_id", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("label", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("allowed_mentions", StringComparison.Ordinal));
    }

    [Fact]
    public void LostWords_OutputMissingAWord_ReportsIt()
    {
        var reply = new Reply { Title = "T", Body = "alpha **beta** gamma" };
        var rendered = new DiscordMessage { Embeds = [new DiscordEmbed { Title = "T", Description = "alpha gamma" }] };

        Assert.Equal(new Dictionary<string, int> { ["beta"] = 1 }, MessageChecks.LostWords(reply, [rendered]));
        Assert.Empty(MessageChecks.LostWords(reply, DiscordRenderer.Render(reply)));
    }

    [Fact]
    public void Render_CourseSizedMenu_PacksWholeTopicsIntoSelectsOf25BeforeTheButtons()
    {
        var menu = CourseReplies.Menu(9, 6, 4, 8, 9, 12, 11, 9, 6, 6, 3);

        var message = Assert.Single(DiscordRenderer.Render(new Reply { Title = "Course", Menu = menu, Actions = Actions(2) }));

        var rows = message.Components!;
        Assert.Equal(5, rows.Count);
        var selects = rows.Take(4).Select(row => Assert.IsType<DiscordStringSelect>(Assert.Single(row.Components))).ToList();
        Assert.Equal([19, 17, 23, 24], selects.Select(select => select.Options.Count));
        Assert.Equal("Topic 0 · Topic 1 · Topic 2", selects[0].Placeholder);
        Assert.Equal(menu.Groups.SelectMany(group => group.Options).Select(option => option.ActionId), selects.SelectMany(select => select.Options).Select(option => option.Value));
        Assert.Equal(["menu:1", "menu:2", "menu:3", "menu:4"], selects.Select(select => select.CustomId));
        Assert.All(rows[4].Components, component => Assert.IsType<DiscordButton>(component));
        Assert.Empty(MessageChecks.Violations([message]));
    }

    [Fact]
    public void Render_MenuOfMoreThanFiveSelects_SpillsRowsOntoFollowUpsAndSplitsATopicOver25()
    {
        var menu = CourseReplies.Menu(30, 20, 20, 20, 20, 20, 20);

        var messages = DiscordRenderer.Render(new Reply { Title = "Big", Menu = menu, Actions = Actions(1) });

        var selects = messages.SelectMany(message => message.Components ?? []).SelectMany(row => row.Components).OfType<DiscordStringSelect>().ToList();
        Assert.Equal([25, 25, 20, 20, 20, 20, 20], selects.Select(select => select.Options.Count));
        Assert.Equal("Topic 0 (1)", selects[0].Placeholder);
        Assert.Equal(2, messages.Count);
        Assert.Equal(5, messages[0].Components!.Count);
        Assert.Equal("Big (continued)", messages[1].Embeds![0].Title);
        Assert.Equal(150, selects.Sum(select => select.Options.Count));
        Assert.Empty(MessageChecks.Violations(messages));
    }

    [Fact]
    public void Render_MenuOptionLabelsAndDescriptions_AreClippedTo100()
    {
        var menu = new ReplyMenu("Pick", [new ReplyMenuGroup("G", [new ReplyMenuOption("explain:x", new string('l', 150), new string('d', 150)), new ReplyMenuOption("explain:" + new string('y', 100), "too long an id")])]);

        var select = Assert.IsType<DiscordStringSelect>(Assert.Single(Assert.Single(DiscordRenderer.Render(new Reply { Title = "T", Menu = menu })).Components!.Single().Components));

        var option = Assert.Single(select.Options);
        Assert.Equal((100, 100), (option.Label.Length, option.Description!.Length));
        Assert.EndsWith("…", option.Description, StringComparison.Ordinal);
    }

    private static List<ReplyAction> Actions(int count) =>
        [.. Enumerable.Range(0, count).Select(index => ReplyActions.Explain("concept" + index, "Concept " + index))];

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }

    private static JsonObject Json(DiscordMessage message) =>
        JsonNode.Parse(JsonSerializer.Serialize(message, DiscordJson.Options))!.AsObject();
}
