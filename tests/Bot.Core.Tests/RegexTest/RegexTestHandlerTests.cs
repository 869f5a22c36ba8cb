using System.Text.Json;
using Bot.Core.RegexTest;
using Bot.Core.Replies;

namespace Bot.Core.Tests.RegexTest;

/// <summary>/regex-test as users see it; Python's own answers come from python3 at test time.</summary>
public sealed class RegexTestHandlerTests : IDisposable
{
    private readonly RegexTestHandler _handler = new(new RegexTestLimits());

    public void Dispose() => _handler.Dispose();

    public static TheoryData<string, string, string, string?> ResultCases => new()
    {
        { @"(\w+)=(\d+)", "a=1, bb=22, c=x", "findall", null },
        { @"\d+", "tel 555-1234", "findall", null },
        { @"(\d)", "a1b2", "findall", null },
        { @"\b", "a b", "split", null },
        { @"(,)\s*", "x, y,z", "split", null },
        { "x*", "abxd", "sub", "-" },
        { @"(?P<user>\w+)@(\w+)", "ann@ex bob@ey", "sub", @"\2 \g<user> \g<0>" },
        { "é|😀", "café 😀 'quote' \"both\"\t\n\u0085\u200b", "split", null },
        { "(a)|(b)", "ab", "findall", null },
        { "", "ab", "split", null },
    };

    [Theory]
    [MemberData(nameof(ResultCases))]
    public async Task Result_IsWhatPython3Prints(string pattern, string text, string mode, string? repl)
    {
        var (_, outcome) = await _handler.HandleAsync(new RegexTestRequest(pattern, text, null, mode, repl), CancellationToken.None);

        var tested = Assert.IsType<RegexTested>(outcome);
        Assert.Equal(await PythonAsync(pattern, text, mode, repl), tested.Result);
    }

    [Fact]
    public async Task FindIter_MarksMatchesAndLabelsGroups()
    {
        var (reply, outcome) = await _handler.HandleAsync(new RegexTestRequest(@"(?P<year>\d{4})-(\d\d)", "from 2026-11 to 😀 2027-01"), CancellationToken.None);

        var tested = Assert.IsType<RegexTested>(outcome);
        Assert.Equal([(5, 12), (18, 25)], tested.Matches.Select(match => match.Span));
        Assert.Equal("Regex: 2 matches", reply.Title);
        var block = reply.Body.Split("```")[1];
        Assert.Equal(
            """

            from 2026-11 to 😀 2027-01
                 ^^^^^^^       ^^^^^^^   match
                 ~~~~          ~~~~      group 1 (year)
                      ~~            ~~   group 2

            """, block);
        Assert.Contains("capture group 1, named `year`", reply.Body, StringComparison.Ordinal);
        Assert.Contains("`\\d{4}`: a decimal digit in any script (0–9, ٣, ３ …), exactly 4 times", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*abc", "nothing to repeat at position 0", 0)]
    [InlineData("ab(c", "missing ), unterminated subpattern at position 2", 2)]
    [InlineData(@"\p{L}", @"bad escape \p at position 0", 0)]
    [InlineData("(?<n>x)", "unknown extension ?<n at position 1", 1)]
    public async Task SyntaxError_QuotesPythonAndPointsAtThePosition(string pattern, string message, int position)
    {
        var (reply, outcome) = await _handler.HandleAsync(new RegexTestRequest(pattern, "text"), CancellationToken.None);

        var rejected = Assert.IsType<RegexRejected>(outcome);
        Assert.Equal((position, false), (rejected.Position, rejected.InvalidInput));
        Assert.Contains($"re.error: {message}", reply.Body, StringComparison.Ordinal);
        Assert.Contains($"```\n{pattern}\n{new string(' ', position)}^\n```", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(a+)+$", "(a+)+")]
    [InlineData("^(x+x+)+y$", "(x+x+)+")]
    [InlineData("(a|aa)+$", "(a|aa)+")]
    [InlineData(@"^(\w+\s?)*$", @"(\w+\s?)*")]
    public async Task CatastrophicPattern_IsCutOffAndTheNestedQuantifierNamed(string pattern, string nested)
    {
        var text = new string(pattern.Contains('x', StringComparison.Ordinal) ? 'x' : 'a', 40) + "!";

        var (reply, outcome) = await _handler.HandleAsync(new RegexTestRequest(pattern, text), CancellationToken.None);

        Assert.Equal(nested, Assert.IsType<RegexCutOff>(outcome).NestedQuantifier);
        Assert.Equal("Regex: stopped (catastrophic backtracking)", reply.Title);
        Assert.Contains($"The cause is the nested quantifier `{nested}`", reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ab", "x", "q", null, null, "Unknown flag `q`")]
    [InlineData("ab", "x", null, "scan", null, "Unknown mode `scan`")]
    [InlineData("ab", "x", null, "sub", null, "Mode `sub` needs a replacement")]
    [InlineData("ab", "x", null, "search", "y", "A replacement is only used with mode `sub`.")]
    public async Task BadInput_SaysWhatIsWrong(string pattern, string text, string? flags, string? mode, string? repl, string message)
    {
        var (reply, outcome) = await _handler.HandleAsync(new RegexTestRequest(pattern, text, flags, mode, repl), CancellationToken.None);

        Assert.True(Assert.IsType<RegexRejected>(outcome).InvalidInput);
        Assert.Equal(ReplyTone.Error, reply.Tone);
        Assert.StartsWith(message, reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverlongInput_NamesTheLimit()
    {
        using var handler = new RegexTestHandler(new RegexTestLimits { MaxPatternLength = 10, MaxTextLength = 20 });

        var (pattern, _) = await handler.HandleAsync(new RegexTestRequest(new string('a', 11), "x"), CancellationToken.None);
        var (text, _) = await handler.HandleAsync(new RegexTestRequest("a", new string('x', 21)), CancellationToken.None);

        Assert.Equal("The pattern is 11 characters long; the limit is 10.", pattern.Body);
        Assert.Equal("The test text is 21 characters long; the limit is 20.", text.Body);
    }

    [Fact]
    public async Task BadReplacement_QuotesPythonsError()
    {
        var (reply, outcome) = await _handler.HandleAsync(new RegexTestRequest("(a)", "a", null, "sub", @"\3"), CancellationToken.None);

        Assert.Equal("invalid group reference 3", Assert.IsType<RegexRejected>(outcome).Message);
        Assert.Contains("re.error: invalid group reference 3 at position 1", reply.Body, StringComparison.Ordinal);
    }

    private static Task<string> PythonAsync(string pattern, string text, string mode, string? repl)
    {
        var script = """
            import json, re, sys
            case = json.load(sys.stdin)
            p, t, mode, repl = case["pattern"], case["text"], case["mode"], case["repl"]
            result = re.sub(p, repl, t) if mode == "sub" else getattr(re, mode)(p, t)
            print(repr(result))
            """;
        return Task.FromResult(PythonOracle.Run(script, JsonSerializer.Serialize(new { pattern, text, mode, repl })).TrimEnd('\n'));
    }

    /// <summary>
    /// Results, marks, group lists and explanations are bounded by design: 99 groups matched 10,000
    /// times once made 1,048 Discord follow-ups. The reply stays a few thousand characters, says what
    /// it left out, and the outcome keeps Python's whole result for the machine interface.
    /// </summary>
    [Theory]
    [InlineData("findall")]
    [InlineData("finditer")]
    [InlineData("split")]
    [InlineData("sub")]
    public async Task HandleAsync_HugeResult_ReplyIsBoundedAndSaysWhatItLeftOut(string mode)
    {
        var pattern = string.Concat(Enumerable.Repeat("(a)", 99)) + "|b";
        var text = string.Join('\n', Enumerable.Repeat(new string('b', 99), 100));

        // What is tested is the reply's size, not the matcher's speed: a busy machine must not cut it off.
        using var patient = new RegexTestHandler(new RegexTestLimits { Timeout = TimeSpan.FromSeconds(30) });
        var (reply, outcome) = await patient.HandleAsync(new RegexTestRequest(pattern, text, null, mode, mode == "sub" ? "\\g<0>\\g<0>" : null), CancellationToken.None);

        var tested = Assert.IsType<RegexTested>(outcome);
        Assert.Equal(9_900, tested.Matches.Count);
        Assert.True(reply.Body.Length <= 6_500, $"a body of {reply.Body.Length:N0} characters");
        Assert.Contains("left out", reply.Body, StringComparison.Ordinal);
        Assert.Contains("and 94 more groups", reply.Body, StringComparison.Ordinal);
        if (tested.Result is { } result)
        {
            Assert.True(result.Length > 10_000);
            Assert.Contains($"The result is {result.Length:N0} characters long", reply.Body, StringComparison.Ordinal);
        }
    }
}
