using Bot.Core.Rendering;
using Markdig.Extensions.Tables;

namespace Bot.Core.Tests.Rendering;

public class TableLayoutTests
{
    /// <summary>Discord's parameters: 60 columns, pipes between columns, links keep their URL.</summary>
    private static readonly TableStyle Discord = new(MaxAlignedWidth: 60, ColumnGap: " | ", Rule: '-', RuleJoint: "-+-", LinkTargets: true);

    /// <summary>Slack's parameters: 64 columns, two spaces between columns, box-drawing rule, labels only.</summary>
    private static readonly TableStyle Slack = new(MaxAlignedWidth: 64, ColumnGap: "  ", Rule: '─', RuleJoint: "  ", LinkTargets: false);

    private const string Aligned = """
        | Name | Kind | Size |
        |:-----|:----:|-----:|
        | x | `int` | 1 |
        | longer_name | **str** | 22 |
        """;

    [Fact]
    public void Render_DiscordStyle_AlignsColumnsBetweenPipesUnderADashedRule()
    {
        Assert.Equal(
            "Name        | Kind | Size\n------------+------+-----\nx           | int  |    1\nlonger_name | str  |   22",
            TableLayout.Render(Parse(Aligned), Discord));
    }

    [Fact]
    public void Render_SlackStyle_AlignsColumnsBetweenSpacesUnderABoxDrawingRule()
    {
        Assert.Equal(
            "Name         Kind  Size\n───────────  ────  ────\nx            int      1\nlonger_name  str     22",
            TableLayout.Render(Parse(Aligned), Slack));
    }

    [Theory]
    [InlineData(true, "see docs (https://x.y/d)")]
    [InlineData(false, "see docs")]
    public void Render_LinkInACell_KeepsItsTargetOnlyWhenTheStyleAsks(bool linkTargets, string expected)
    {
        var table = Parse("| Where |\n|---|\n| see [docs](https://x.y/d) |");

        var lines = TableLayout.Render(table, Slack with { LinkTargets = linkTargets }).Split('\n');

        Assert.Equal(expected, lines[2]);
    }

    /// <summary>The same table is narrow enough for Slack (64 columns) and too wide for Discord (60): Discord writes records.</summary>
    [Fact]
    public void Render_TableBetweenTheTwoWidths_IsAlignedForSlackAndRecordsForDiscord()
    {
        var table = Parse($"| Name | Notes |\n|---|---|\n| map | {new string('w', 52)} |\n| filter | short |");

        Assert.StartsWith("Name    Notes\n", TableLayout.Render(table, Slack), StringComparison.Ordinal);
        Assert.Equal(
            $"Name:  map\nNotes: {new string('w', 52)}\n\nName:  filter\nNotes: short",
            TableLayout.Render(table, Discord));
    }

    [Fact]
    public void Render_WideCharactersAndEmoji_AlignByDisplayWidth()
    {
        var table = Parse("| Word | Note |\n|---|---|\n| 中文 | wide |\n| 🐍🪐 | emoji |\n| ab | narrow |");

        Assert.Equal("Word  Note\n────  ──────\n中文  wide\n🐍🪐  emoji\nab    narrow", TableLayout.Render(table, Slack));
    }

    [Theory]
    [InlineData("abc", 3)]
    [InlineData("中文", 4)]
    [InlineData("👩‍💻", 4)]
    [InlineData("e\u0301", 1)]
    [InlineData("tab\there", 7)]
    public void DisplayWidth_CountsMonospaceColumns(string text, int expected) =>
        Assert.Equal(expected, TableLayout.DisplayWidth(text));

    private static Table Parse(string markdown) => Assert.IsType<Table>(Assert.Single(MarkdownDialect.Parse(markdown)));
}
