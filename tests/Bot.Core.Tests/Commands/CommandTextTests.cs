using Bot.Core.Commands;

namespace Bot.Core.Tests.Commands;

public class CommandTextTests
{
    [Theory]
    [InlineData(@"/regex-test pattern: (\w+)@(\w+) text: mail ann@ex now", @"(\w+)@(\w+)", "mail ann@ex now", null, null, null)]
    [InlineData(@"/regex-test text: a b  pattern: \s+ mode: split flags: i", @"\s+", "a b", "i", "split", null)]
    [InlineData(@"/regex-test pattern: (a) text: aaa mode: sub repl: <\1>", "(a)", "aaa", null, "sub", @"<\1>")]
    [InlineData(@"/regex-test \bcat cat concat", @"\bcat", "cat concat", null, null, null)]
    [InlineData(@"/regex pattern: x text: see: this", "x", "see: this", null, null, null)]
    public void RegexTest_NamedOrShortForm_BecomesARequest(string line, string pattern, string text, string? flags, string? mode, string? repl)
    {
        var input = Assert.IsType<ParsedRequest>(CommandText.ParseLine(line));

        Assert.Equal(new RegexTestRequest(pattern, text, flags, mode, repl), input.Request);
    }

    [Theory]
    [InlineData("/regex-test", "Give a pattern and a text")]
    [InlineData("/regex-test onlyapattern", "Give a pattern and a text")]
    [InlineData("/regex-test pattern: a", "Both `pattern:` and `text:` are needed")]
    [InlineData("/regex-test pattern: a text: b pattern: c", "`pattern:` is given twice")]
    public void RegexTest_Incomplete_ExplainsTheUsage(string line, string message) =>
        Assert.StartsWith(message, Assert.IsType<CommandUsage>(CommandText.ParseLine(line)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("/quiz", null)]
    [InlineData("/quiz  generator expressions ", "generator expressions")]
    public void Quiz_TopicIsOptional(string line, string? topic) =>
        Assert.Equal(new QuizRequest(topic), Assert.IsType<ParsedRequest>(CommandText.ParseLine(line)).Request);

    [Fact]
    public void StatsAndLeaderboard_AreCommands()
    {
        Assert.IsType<StatsRequest>(Assert.IsType<ParsedRequest>(CommandText.ParseLine("/stats")).Request);
        Assert.IsType<LeaderboardRequest>(Assert.IsType<ParsedRequest>(CommandText.ParseLine("/LEADERBOARD")).Request);
    }

    [Theory]
    [InlineData("closures", "closures")]
    [InlineData("  why are threads slow ", "why are threads slow")]
    public void ParseLine_WithoutSlash_IsAnExplainQuery(string line, string query) =>
        Assert.Equal(new ExplainRequest(query), Assert.IsType<ParsedRequest>(CommandText.ParseLine(line)).Request);

    [Theory]
    [InlineData("regex-test", @"\d+ a 12", @"\d+", "a 12")]
    [InlineData("/regex-test", "pattern: a text: b", "a", "b")]
    public void Parse_NameAndArgumentAsSlackSendsThem_BecomesARequest(string name, string argument, string pattern, string text) =>
        Assert.Equal(new RegexTestRequest(pattern, text), Assert.IsType<ParsedRequest>(CommandText.Parse(name, argument)).Request);

    [Fact]
    public void Parse_UnknownName_IsReportedWithTheName() =>
        Assert.Equal("frobnicate", Assert.IsType<UnknownCommand>(CommandText.ParseLine("/Frobnicate now")).Name);
}
