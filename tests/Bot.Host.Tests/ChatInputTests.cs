using Bot.Core;
using Bot.Host.Terminal;

namespace Bot.Host.Tests;

public class ChatInputTests
{
    [Theory]
    [InlineData(@"/regex-test pattern: (\w+)@(\w+) text: mail ann@ex now", @"(\w+)@(\w+)", "mail ann@ex now", null, null, null)]
    [InlineData(@"/regex-test text: a b  pattern: \s+ mode: split flags: i", @"\s+", "a b", "i", "split", null)]
    [InlineData(@"/regex-test pattern: (a) text: aaa mode: sub repl: <\1>", "(a)", "aaa", null, "sub", @"<\1>")]
    [InlineData(@"/regex-test \bcat cat concat", @"\bcat", "cat concat", null, null, null)]
    [InlineData(@"/regex pattern: x text: see: this", "x", "see: this", null, null, null)]
    public void RegexTest_NamedOrShortForm_BecomesARequest(string line, string pattern, string text, string? flags, string? mode, string? repl)
    {
        var input = Assert.IsType<RequestInput>(ChatInput.Parse(line));

        Assert.Equal(new RegexTestRequest(pattern, text, flags, mode, repl), input.Request);
    }

    [Theory]
    [InlineData("/regex-test", "Give a pattern and a text")]
    [InlineData("/regex-test onlyapattern", "Give a pattern and a text")]
    [InlineData("/regex-test pattern: a", "Both `pattern:` and `text:` are needed")]
    [InlineData("/regex-test pattern: a text: b pattern: c", "`pattern:` is given twice")]
    public void RegexTest_Incomplete_ExplainsTheUsage(string line, string message) =>
        Assert.StartsWith(message, Assert.IsType<UsageInput>(ChatInput.Parse(line)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("/quiz", null)]
    [InlineData("/quiz  generator expressions ", "generator expressions")]
    public void Quiz_TopicIsOptional(string line, string? topic) =>
        Assert.Equal(new QuizRequest(topic), Assert.IsType<RequestInput>(ChatInput.Parse(line)).Request);

    [Fact]
    public void StatsAndLeaderboard_AreCommands()
    {
        Assert.IsType<StatsRequest>(Assert.IsType<RequestInput>(ChatInput.Parse("/stats")).Request);
        Assert.IsType<LeaderboardRequest>(Assert.IsType<RequestInput>(ChatInput.Parse("/LEADERBOARD")).Request);
    }
}
