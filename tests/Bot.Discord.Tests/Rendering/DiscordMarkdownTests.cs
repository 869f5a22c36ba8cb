using Bot.Core.Rendering;
using Bot.Discord.Rendering;

namespace Bot.Discord.Tests.Rendering;

public class DiscordMarkdownTests
{
    [Fact]
    public void Blocks_PipeTable_BecomesAlignedCodeBlockHonouringColumnAlignment()
    {
        var blocks = DiscordMarkdown.Blocks("""
            | Name | Kind | Size |
            |:-----|:----:|-----:|
            | x | `int` | 1 |
            | longer_name | **str** | 22 |
            """);

        var expected = string.Join('\n',
            "```",
            "Name        | Kind | Size",
            "------------+------+-----",
            "x           | int  |    1",
            "longer_name | str  |   22",
            "```");
        Assert.Equal(expected, Assert.Single(blocks));
    }

    [Fact]
    public void Blocks_TableWithWideCharacters_AlignsByDisplayWidth()
    {
        var table = Assert.Single(DiscordMarkdown.Blocks("| Word | Note |\n|---|---|\n| 中文 | wide |\n| ab | narrow |"));

        var lines = table.Split('\n')[1..^1];
        Assert.Equal("中文 | wide", lines[2]);
        Assert.Equal("ab   | narrow", lines[3]);
        Assert.All(lines, line => Assert.Equal(4, TableLayout.DisplayWidth(line[..line.IndexOf(line.Contains('|') ? " | " : "-+-", StringComparison.Ordinal)])));
    }

    [Fact]
    public void Blocks_TableTooWideForAnEmbed_BecomesOneRecordPerRow()
    {
        var longText = string.Join(' ', Enumerable.Repeat("words", 14));

        var table = Assert.Single(DiscordMarkdown.Blocks($"| Name | Description |\n|---|---|\n| map | {longText} |\n| filter | short |"));

        Assert.Equal($"```\nName:        map\nDescription: {longText}\n\nName:        filter\nDescription: short\n```", table);
    }

    [Theory]
    [InlineData("#### Four", "**Four**")]
    [InlineData("###### Six *deep*", "**Six *deep***")]
    [InlineData("### Three", "### Three")]
    [InlineData("# One", "# One")]
    [InlineData("Setext\n======", "# Setext")]
    [InlineData("Setext two\n---", "## Setext two")]
    public void Blocks_Heading_UsesWhatDiscordRenders(string markdown, string expected) =>
        Assert.Equal(expected, Assert.Single(DiscordMarkdown.Blocks(markdown)));

    [Theory]
    [InlineData("~~~python extra words\nprint(1)\n~~~", "```python\nprint(1)\n```")]
    [InlineData("````sql\nSELECT 1\n````", "```sql\nSELECT 1\n```")]
    [InlineData("    indented = True", "```\nindented = True\n```")]
    public void Blocks_CodeBlock_BecomesBacktickFenceWithItsLanguage(string markdown, string expected) =>
        Assert.Equal(expected, Assert.Single(DiscordMarkdown.Blocks(markdown)));

    [Fact]
    public void Blocks_CodeContainingBacktickFence_BreaksTheInnerFenceSoTheBlockStaysWhole()
    {
        var block = Assert.Single(DiscordMarkdown.Blocks("~~~~md\n```python\nx = 1\n```\n~~~~"));

        Assert.StartsWith("```md\n", block, StringComparison.Ordinal);
        Assert.True(MessageChecks.FencesBalanced(block), block);
        Assert.Equal("```python\nx = 1\n```", block["```md\n".Length..^"\n```".Length].Replace("\u200B", "", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Some __strong__ text", "Some **strong** text")]
    [InlineData("An _italic_ and *italic* and ~~gone~~", "An _italic_ and *italic* and ~~gone~~")]
    [InlineData("Escaped \\*stars\\* stay", "Escaped \\*stars\\* stay")]
    [InlineData("Hi @everyone, <@123>, <@&456> and @here", "Hi @everyone, <@123>, <@&456> and @here")]
    [InlineData("A [link](https://example.com/a_(b)) here", "A [link](https://example.com/a_%28b%29) here")]
    [InlineData("[text][ref]\n\n[ref]: https://example.com \"Title\"", "[text](https://example.com)")]
    [InlineData("![diagram](https://example.com/d.png)", "[diagram](https://example.com/d.png)")]
    [InlineData("Unmatched [bracket] and [x][nowhere]", "Unmatched [bracket] and [x][nowhere]")]
    [InlineData("<https://example.com> &amp; `a  b`", "<https://example.com> & `a  b`")]
    [InlineData("line one\nline two", "line one\nline two")]
    public void Blocks_Inlines_KeepTheirTextAndUseDiscordSyntax(string markdown, string expected) =>
        Assert.Equal(expected, string.Join("\n\n", DiscordMarkdown.Blocks(markdown)));

    /// <summary>Discord reads no entities: one that stands for a character of its syntax shows that character, escaped, and formats nothing.</summary>
    [Theory]
    [InlineData("&ast;not italic&ast; and &#42;&#42;not bold&#42;&#42;", @"\*not italic\* and \*\*not bold\*\*")]
    [InlineData("&#x5F;&#95;not underlined&#95;&#95; and &#126;&#126;not struck&#126;&#126;", @"\_\_not underlined\_\_ and \~\~not struck\~\~")]
    [InlineData("&#96;not code&#96; and &#124;&#124;no spoiler&#124;&#124;", @"\`not code\` and \|\|no spoiler\|\|")]
    [InlineData("&lt;@123&gt; &#91;no link&#93;&#40;https://example.com&#41;", @"\<@123\> \[no link\]\(https://example.com\)")]
    [InlineData("&#35; not a heading", @"\# not a heading")]
    [InlineData("### &ast;Heading&ast;", @"### \*Heading\*")]
    [InlineData("fish &amp; chips&nbsp;&copy; &quot;q&quot;", "fish & chips\u00A0© \"q\"")]
    public void Blocks_EntityOfDiscordSyntax_IsWrittenAsItsCharacterEscaped(string markdown, string expected) =>
        Assert.Equal(expected, Assert.Single(DiscordMarkdown.Blocks(markdown)));

    [Fact]
    public void Blocks_ListsAndQuotes_KeepTheirStructure()
    {
        var blocks = DiscordMarkdown.Blocks("3. three\n4. four\n   - nested\n\n> quoted **text**\n> on two lines\n>\n> | a | b |\n> |---|---|\n> | 1 | 2 |");

        Assert.Equal(["3. three\n4. four\n   - nested", "> quoted **text**\n> on two lines\n> ```\n> a | b\n> --+--\n> 1 | 2\n> ```"], blocks);
    }

    [Theory]
    [InlineData("- step\n\n  ```python\n  def f():\n      return 1\n  ```\n- next", "- step\n\n  ```python\n  def f():\n      return 1\n  ```\n\n- next")]
    [InlineData("1. one\n   ```\n   code\n     indented\n   ```\n2. two", "1. one\n   ```\n   code\n     indented\n   ```\n2. two")]
    [InlineData("- outer\n  - inner\n\n        indented code", "- outer\n  - inner\n\n    ```\n    indented code\n    ```")]
    public void Blocks_CodeBlockInListItem_StaysAFenceIndentedUnderTheItem(string markdown, string expected) =>
        Assert.Equal(expected, Assert.Single(DiscordMarkdown.Blocks(markdown)));

    [Fact]
    public void Blocks_ThematicBreak_BecomesAVisibleLine() =>
        Assert.Equal(["before", DiscordMarkdown.ThematicBreak, "after"], DiscordMarkdown.Blocks("before\n\n***\n\nafter"));
}
