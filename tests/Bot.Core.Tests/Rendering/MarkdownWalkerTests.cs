using Bot.Core.Rendering;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Tests.Rendering;

public class MarkdownWalkerTests
{
    [Theory]
    [InlineData("**bold** and _it_ and ~~gone~~", "bold and it and gone")]
    [InlineData("`code` &amp; <b>tag</b>", "code & <b>tag</b>")]
    [InlineData("line one\nline two", "line one line two")]
    [InlineData("Unmatched [bracket] and <https://x.y>", "Unmatched [bracket] and https://x.y")]
    [InlineData("see [the docs](https://x.y/d)", "see the docs")]
    public void PlainText_Inlines_KeepTheirTextWithoutMarkup(string markdown, string expected) =>
        Assert.Equal(expected, PlainText.Of(FirstParagraph(markdown), linkTargets: false));

    [Theory]
    [InlineData("see [the docs](https://x.y/d)", "see the docs (https://x.y/d)")]
    [InlineData("[https://x.y](https://x.y)", "https://x.y")]
    [InlineData("[](https://x.y)", "https://x.y")]
    public void PlainText_WithLinkTargets_PutsTheUrlAfterTheLabel(string markdown, string expected) =>
        Assert.Equal(expected, PlainText.Of(FirstParagraph(markdown), linkTargets: true));

    [Fact]
    public void Block_EachKind_GoesToItsMethod()
    {
        var markdown = "# Title\n\npara *x*\n\n- a\n- b\n\n> quoted\n\n***\n\n```py\ncode\n```\n\n    indented\n\n<div>\n</div>\n\n| a |\n|---|\n| 1 |\n\n[ref]: https://x.y";

        Assert.Equal(
            ["heading 1: Title", "paragraph: para x", "list: a|b", "quote: [paragraph: quoted]", "break", "code py: code", "code : indented", "html: <div>\n</div>", "table", ""],
            Walk(markdown));
    }

    [Fact]
    public void Block_BlankCode_IsEmpty()
    {
        Assert.Equal([""], Walk("```\n   \n```"));
    }

    [Theory]
    [InlineData("3. three\n4. four", "3,4")]
    [InlineData("1. one\n1. again\n1. more", "1,1,1")]
    [InlineData("- a\n- b", "1,2")]
    public void Items_Numbers_AreAsWrittenElseCountedFromTheStart(string markdown, string expected)
    {
        Assert.Equal(expected, Assert.Single(Walk(markdown, numbers: true)));
    }

    private static ContainerInline FirstParagraph(string markdown) =>
        MarkdownDialect.Parse(markdown).OfType<ParagraphBlock>().First().Inline!;

    private static List<string> Walk(string markdown, bool numbers = false)
    {
        var walker = new KindWalker(markdown, numbers);
        return [.. MarkdownDialect.Parse(markdown).Select(walker.Block)];
    }

    /// <summary>Names the method each block reached, with the plain text of its inlines.</summary>
    private sealed class KindWalker(string source, bool numbers) : MarkdownWalker<string>(source)
    {
        protected override string Empty => "";

        protected override string Heading(HeadingBlock heading) => $"heading {heading.Level}: {Inlines(heading.Inline)}";

        protected override string Table(Table table) => "table";

        protected override string Code(string code, string info) => $"code {info}: {code}";

        protected override string Paragraph(ParagraphBlock paragraph) => "paragraph: " + Inlines(paragraph.Inline);

        protected override string List(ListBlock list) => numbers
            ? string.Join(',', Items(list).Select(entry => entry.Number))
            : "list: " + string.Join('|', Items(list).Select(entry => Inlines(((ParagraphBlock)entry.Item[0]).Inline)));

        protected override string Quote(QuoteBlock quote) => "quote: [" + string.Join("; ", quote.Select(Block)) + "]";

        protected override string ThematicBreak() => "break";

        protected override string Html(HtmlBlock html) => "html: " + html.Lines.ToString();

        protected override string OtherContainer(ContainerBlock container) => "container";

        protected override string OtherLeaf(LeafBlock leaf) => "leaf";
    }
}
