using Bot.Core.Replies;
using Bot.Slack.Rendering;

namespace Bot.Slack.Tests.Rendering;

/// <summary>Markdown to mrkdwn, through the renderer: the text of the body's sections.</summary>
public class SlackMrkdwnTests
{
    [Theory]
    [InlineData("**bold**", "*bold*")]
    [InlineData("__bold__", "*bold*")]
    [InlineData("*italic* and _italic_", "_italic_ and _italic_")]
    [InlineData("~~gone~~", "~gone~")]
    [InlineData("`x = 1`", "`x = 1`")]
    [InlineData("***both***", "_*both*_")]
    [InlineData("**L**ocal", "Local")]
    [InlineData("a \\*literal\\* star", "a *\u200Bliteral\u200B* star")]
    public void Render_Emphasis_BecomesMrkdwnMarkers(string markdown, string expected)
    {
        Assert.Equal(expected, BodyText(markdown));
    }

    /// <summary>
    /// Slack has no escape for *, _ and ~: a literal one in prose must not pair with another and format the
    /// text between them, whether it came from an escape (as learners' words are echoed), from Markdown that
    /// leaves it literal, from an entity or from raw HTML.
    /// </summary>
    [Theory]
    [InlineData("a * b * c and 2 * 3 * 4")]
    [InlineData("snake_case_name and x_1 + y_2 and _private")]
    [InlineData("\\_\\_init\\_\\_ and \\_\\_main\\_\\_.py and \\*\\*kwargs")]
    [InlineData("~/path and ~/other/path and \\~tilde\\~")]
    [InlineData("a \\*literal\\* star, \\_under\\_ it, \\~\\~gone\\~\\~")]
    [InlineData("&ast;entity&ast; and &lowbar;x&lowbar;")]
    [InlineData("<div>*raw* _html_ ~block~</div>")]
    [InlineData("- \\*one\\*\n- \\_two\\_\n\n> \\~three\\~")]
    public void Render_LiteralMarkersInProse_FormatNothing(string markdown)
    {
        var text = BodyText(markdown);

        Assert.Empty(MrkdwnFormatting.Pairs(text));
    }

    [Fact]
    public void Render_EchoedLearnerText_KeepsEveryMarkerLiteral()
    {
        var echoed = MarkdownText.Escape("a * b, snake_case_name, __init__, ~/path, *args and **kwargs, ~~x~~");

        var text = BodyText(echoed);

        Assert.Empty(MrkdwnFormatting.Pairs(text));
        Assert.Equal("a * b, snake_case_name, __init__, ~/path, *args and **kwargs, ~~x~~", text.Replace("\u200B", "", StringComparison.Ordinal));
    }

    /// <summary>Only where a marker could pair does it get zero-width spaces: text such as snake_case_name still copies as written.</summary>
    [Theory]
    [InlineData("snake_case_name, x_1 and 2*3")]
    [InlineData("a * b and a _ b and a ~ b")]
    public void Render_MarkersThatCannotPair_StayAsWritten(string markdown)
    {
        Assert.Equal(markdown, BodyText(markdown));
    }

    [Theory]
    [InlineData("**bold** beside a * b and \\*x\\*", new[] { "*bold" })]
    [InlineData("_it_ and ~~gone~~ near snake_case and \\_\\_init\\_\\_", new[] { "_it", "~gone" })]
    [InlineData("**\\*args and \\*\\*kwargs**: collect arguments", new[] { "**args and **kwargs" })]
    [InlineData("## Leading underscore and import *", new[] { "*Leading underscore and import *" })]
    [InlineData("**x** \\* **y**", new[] { "*x", "*y" })]
    public void Render_IntendedFormattingBesideLiteralMarkers_StillFormats(string markdown, string[] expected)
    {
        var pairs = MrkdwnFormatting.Pairs(BodyText(markdown));

        Assert.Equal(expected, pairs.Select(pair => pair.Marker + pair.Text));
    }

    [Fact]
    public void Render_SummaryAndFieldName_KeepTheirMarkersLiteral()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply
        {
            Title = "T",
            Summary = "Use ~/path and *args, not `**kwargs`",
            Fields = [new ReplyField("__init__ and ~x~", "value")],
        }));

        var texts = message.Blocks.OfType<SectionBlock>()
            .SelectMany(section => new[] { section.Text?.Text }.Concat(section.Fields?.Select(field => field.Text) ?? []))
            .OfType<string>()
            .ToList();
        Assert.Equal(["_Use ~/path and *args, not `**kwargs`_", "__init__ and ~x~\nvalue"], texts.Select(text => text.Replace("\u200B", "", StringComparison.Ordinal)));
        Assert.Equal([('_', "Use ~/path and *args, not c")], MrkdwnFormatting.Pairs(texts[0]));
        Assert.Empty(MrkdwnFormatting.Pairs(texts[1]));
        Assert.Contains("`**kwargs`", texts[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[the docs](https://docs.python.org/3/)", "<https://docs.python.org/3/|the docs>")]
    [InlineData("[q](<https://x.y/?a=1&b=2|3 4>)", "<https://x.y/?a=1&amp;b=2%7C3%204|q>")]
    [InlineData("<https://x.y/path>", "<https://x.y/path>")]
    [InlineData("<me@x.y>", "<mailto:me@x.y|me@x.y>")]
    [InlineData("see [closures](closures.md)", "see closures")]
    [InlineData("[run](javascript:alert(1))", "run")]
    [InlineData("[a <!here> label](https://x.y)", "<https://x.y|a &lt;!here&gt; label>")]
    public void Render_Links_BecomeAngleLinksOnlyForWebAndMail(string markdown, string expected)
    {
        Assert.Equal(expected, BodyText(markdown));
    }

    [Fact]
    public void Render_Lists_UseBulletsNumbersAndIndentedNestedBullets()
    {
        var text = BodyText("- one\n- two\n  - inner\n\n3. three\n4. four");

        Assert.Equal("• one\n• two\n    ◦ inner\n\n3. three\n4. four", text);
    }

    [Theory]
    [InlineData("- step\n\n  ```python\n  def f():\n      return 1\n  ```\n- next", "• step\n\n```\ndef f():\n    return 1\n```\n\n• next")]
    [InlineData("1. one\n   ```\n   code\n     indented\n   ```\n2. two", "1. one\n```\ncode\n  indented\n```\n2. two")]
    [InlineData("- ```python\n  first = True\n  ```\n- after", "•\n```\nfirst = True\n```\n• after")]
    [InlineData("- outer\n  - inner\n\n        indented code", "• outer\n    ◦ inner\n\n```\nindented code\n```")]
    public void Render_CodeBlockInListItem_IsACodeBlockAfterItsBulletKeepingItsIndentation(string markdown, string expected)
    {
        Assert.Equal(expected, BodyText(markdown));
    }

    [Fact]
    public void Render_Headings_BecomeBoldLinesWithoutNestedBold()
    {
        Assert.Equal("*Why it matters*", BodyText("## Why **it** matters"));
        Assert.Equal("*Deep*\n\ntext", BodyText("#### Deep\n\ntext"));
    }

    [Fact]
    public void Render_Quote_PrefixesEveryLine()
    {
        Assert.Equal("> first\n> second", BodyText("> first  \n> second"));
    }

    [Fact]
    public void Render_LongQuote_KeepsEveryPartQuoted()
    {
        var text = string.Join(' ', Enumerable.Range(0, 800).Select(index => "said" + index));

        var sections = SlackRenderer.Render(new Reply { Title = "", Body = "> " + text })[0].Blocks.OfType<SectionBlock>().ToList();

        Assert.True(sections.Count > 1);
        Assert.All(sections.SelectMany(section => section.Text!.Text.Split('\n')), line => Assert.StartsWith("> said", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_FencedCode_DropsTheLanguageAndEscapes()
    {
        var text = BodyText("```python\nif a < b and c > d & e:\n    pass\n```");

        Assert.Equal("```\nif a &lt; b and c &gt; d &amp; e:\n    pass\n```", text);
    }

    [Fact]
    public void Render_BackticksInsideCode_CannotCloseTheBlock()
    {
        var text = BodyText("````\nx = '```'\n````");

        Assert.True(BlockChecks.FencesBalanced(text), text);
        Assert.StartsWith("```\nx = '`\u200B`\u200B`'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Table_BecomesAnAlignedCodeBlock()
    {
        var text = BodyText("| Name | Count |\n|---|--:|\n| apples | 3 |\n| kiwi <!here> | 12 |");

        Assert.Equal("```\nName          Count\n────────────  ─────\napples            3\nkiwi &lt;!here&gt;     12\n```", text);
    }

    [Fact]
    public void Render_WideTable_BecomesOneRecordPerRow()
    {
        var text = BodyText("| Operation | What it does |\n|---|---|\n| push | " + new string('w', 70) + " |");

        Assert.Equal("```\nOperation:    push\nWhat it does: " + new string('w', 70) + "\n```", text);
    }

    [Fact]
    public void Render_ThematicBreak_BecomesADividerBlock()
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "T", Body = "above\n\n---\n\nbelow" }));

        Assert.Collection(
            message.Blocks,
            block => Assert.IsType<HeaderBlock>(block),
            block => Assert.Equal("above", Assert.IsType<SectionBlock>(block).Text!.Text),
            block => Assert.IsType<DividerBlock>(block),
            block => Assert.Equal("below", Assert.IsType<SectionBlock>(block).Text!.Text));
    }

    [Fact]
    public void Render_HtmlAndEntities_ShowAsEscapedText()
    {
        Assert.Equal("&lt;b&gt;x&lt;/b&gt; &amp; ©", BodyText("<b>x</b> &amp; &copy;"));
    }

    private static string BodyText(string markdown)
    {
        var message = Assert.Single(SlackRenderer.Render(new Reply { Title = "", Body = markdown }));
        return string.Join("\n\n", message.Blocks.OfType<SectionBlock>().Select(section => section.Text!.Text));
    }
}
