using Bot.Core.Rendering;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Tests.Rendering;

public class MarkdownDialectTests
{
    private const string FileLike = "---\ntitle: Loops\n---\n\nBody text.";

    [Fact]
    public void ParseFile_OpeningFrontMatter_IsReadAsFrontMatter()
    {
        var document = MarkdownDialect.ParseFile(FileLike);

        Assert.IsType<YamlFrontMatterBlock>(document[0]);
        Assert.IsType<ParagraphBlock>(Assert.Single(document.Skip(1)));
    }

    [Fact]
    public void Parse_BodyThatLooksLikeFrontMatter_IsAThematicBreakAndAHeading()
    {
        var document = MarkdownDialect.Parse(FileLike);

        Assert.Collection(
            document,
            block => Assert.IsType<ThematicBreakBlock>(block),
            block => Assert.Equal(2, Assert.IsType<HeadingBlock>(block).Level),
            block => Assert.IsType<ParagraphBlock>(block));
    }

    [Fact]
    public void Parse_TablesAndStrikethrough_AreRead()
    {
        var document = MarkdownDialect.Parse("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~");

        Assert.IsType<Table>(document[0]);
        var strike = Assert.IsType<EmphasisInline>(((ParagraphBlock)document[1]).Inline!.FirstChild);
        Assert.Equal(('~', 2), (strike.DelimiterChar, strike.DelimiterCount));
    }
}
