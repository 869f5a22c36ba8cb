using Bot.Core.Replies;
using Bot.Host.Terminal;
using Spectre.Console;

namespace Bot.Host.Tests.Terminal;

public class TerminalRendererTests
{
    [Fact]
    public void Render_CodeBlockInListItem_IsAPanelIndentedUnderTheItemKeepingTheCodesIndentation()
    {
        var lines = Render("1. Define it:\n\n   ```python\n   def f():\n       return 1\n   ```\n\n2. Call it.");

        Assert.Contains("1. Define it:", lines);
        Assert.Contains(lines, line => line.StartsWith("   ╭─python", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("   │ def f():", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("   │     return 1", StringComparison.Ordinal));
        Assert.Contains("2. Call it.", lines);
    }

    [Fact]
    public void Render_ListItemOpeningWithCode_KeepsItsBullet()
    {
        var lines = Render("- ```python\n  first = True\n  ```\n- after");

        var bullet = lines.IndexOf("•");
        Assert.True(bullet >= 0, string.Join('\n', lines));
        Assert.StartsWith("   ╭─python", lines[bullet + 1], StringComparison.Ordinal);
        Assert.Contains("• after", lines);
    }

    [Fact]
    public void Render_InlineHtmlAndUnmatchedBracket_ShowAsWritten()
    {
        var lines = Render("a <b>bold</b> tag and [bracket] text");

        Assert.Contains("a <b>bold</b> tag and [bracket] text", lines);
    }

    /// <summary>An entity shows the character it stands for, and one of Spectre's markup ([red]) styles nothing.</summary>
    [Fact]
    public void Render_Entities_ShowTheirCharactersAsText()
    {
        var lines = Render("&ast;not italic&ast; &#91;red&#93;not red&#91;/&#93; &lt;@123&gt; &amp;");

        Assert.Contains("*not italic* [red]not red[/] <@123> &", lines);
    }

    private static List<string> Render(string body)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 100;

        new TerminalRenderer(console).Render(new Reply { Title = "T", Body = body });

        return [.. writer.ToString().Split('\n').Select(line => line.TrimEnd())];
    }
}
