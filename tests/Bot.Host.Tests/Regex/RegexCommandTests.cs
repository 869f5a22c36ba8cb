using System.Text.Json;

namespace Bot.Host.Tests.Regex;

/// <summary>The one-shot <c>bot regex-test</c> verb and <c>/regex-test</c> in the chat, through the real process.</summary>
public class RegexCommandTests
{
    [Fact]
    public async Task OneShotJson_GivesCodePointSpansAndGroups()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(
            ["regex-test", "--pattern", @"(\w)(\d)?", "--text", "😀a1 b", "--flags", "a", "--json"]);

        Assert.True(exitCode == 0, stderr);
        var line = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("finditer", line.GetProperty("mode").GetString());
        Assert.Equal("[{\"span\":[1,3],\"groups\":[[1,2],[2,3]]},{\"span\":[4,5],\"groups\":[[4,5],null]}]", line.GetProperty("matches").GetRawText());
    }

    [Fact]
    public async Task OneShot_Text_RendersMarksAndExplanation()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["regex-test", "--pattern", "c.t", "--text", "cat cut", "--mode", "findall"]);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("['cat', 'cut']", stdout, StringComparison.Ordinal);
        Assert.Contains("How the pattern reads", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "regex-test" }, "regex-test needs --pattern and --text")]
    [InlineData(new[] { "regex-test", "--pattern", "a", "--text", "b", "--mode", "scan" }, "Unknown mode")]
    public async Task OneShot_BadArguments_ExitTwoWithAHint(string[] arguments, string message)
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_RegexTest_AnswersInJsonIncludingErrorsAndCutoffs()
    {
        string[] script =
        [
            @"/regex-test pattern: (?P<w>\w+) text: hi there mode: findall",
            "/regex-test pattern: a** text: x",
            "/regex-test pattern: (a+)+$ text: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
            "/explain closures",
        ];

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json"], string.Join('\n', script) + "\n");

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal("['hi', 'there']", lines[0].GetProperty("result").GetString());
        Assert.Equal(("multiple repeat", 2), (lines[1].GetProperty("error").GetString(), lines[1].GetProperty("position").GetInt32()));
        Assert.True(lines[2].GetProperty("timeout").GetBoolean());
        Assert.Equal("(a+)+", lines[2].GetProperty("nestedQuantifier").GetString());
        Assert.Equal("closures", lines[3].GetProperty("conceptId").GetString());
    }
}
