using System.Diagnostics;

namespace Bot.RegexEngine.Tests;

/// <summary>The engine API; expected values were checked against python3.11's re.</summary>
public class PythonRegexTests
{
    [Theory]
    [InlineData("(a+)+$")]
    [InlineData("(x+x+)+y")]
    [InlineData("(a|aa)+$")]
    public void Search_CatastrophicBacktracking_IsCutOffByTheStepBudget(string pattern)
    {
        var text = pattern.Contains('x', StringComparison.Ordinal) ? new string('x', 40) : new string('a', 40) + "b";
        var regex = PythonRegex.Compile(pattern);
        // No practical time limit: the cut-off must come from counting steps, which no machine load can delay.
        var stepsOnly = new MatchBudget(MatchBudget.DefaultMaxSteps, TimeSpan.FromHours(1));

        Assert.Throws<RegexCutoffException>(() => regex.Search(text, stepsOnly));
    }

    [Fact]
    public void Search_Deadline_CutsOffBeforeStepBudget()
    {
        var regex = PythonRegex.Compile("(a+)+$");

        Assert.Throws<RegexCutoffException>(() => regex.Search(new string('a', 40) + "b", new MatchBudget(long.MaxValue, TimeSpan.FromMilliseconds(50))));
    }

    [Fact]
    public void FindAll_AlternationStarOverLongText_DoesNotOverflowTheStack()
    {
        var regex = PythonRegex.Compile("(a|b)*");
        var text = string.Concat(Enumerable.Repeat("ab", 50_000));

        // Either a full answer or a clean cutoff; the process must survive.
        try
        {
            var match = regex.Match(text, new MatchBudget(10_000_000));
            Assert.Equal((0, 100_000), match!.Span);
        }
        catch (RegexCutoffException)
        {
        }
    }

    [Fact]
    public void Search_Emoji_PositionsCountCodePoints()
    {
        var match = PythonRegex.Compile("(b)(c)").Search("😀a😀bc")!;

        // python3: re.search('(b)(c)', '😀a😀bc').span() == (3, 5)
        Assert.Equal((3, 5), match.Span);
        Assert.Equal((3, 4), match.Groups[0]);
        Assert.Equal("bc", match.Value);
    }

    [Theory]
    [InlineData("a**", "multiple repeat", 2)]
    [InlineData("*", "nothing to repeat", 0)]
    [InlineData("(?<=a+)b", "look-behind requires fixed-width pattern", null)]
    [InlineData("\\p", "bad escape \\p", 0)]
    [InlineData("(?<n", "unknown extension ?<n", 1)]
    [InlineData("a(?i)", "global flags not at the start of the expression", 1)]
    [InlineData("(ab", "missing ), unterminated subpattern", 0)]
    [InlineData("[ab", "unterminated character set", 0)]
    [InlineData("[b-a]", "bad character range b-a", 1)]
    [InlineData("(?P<a>x)(?P<a>y)", "redefinition of group name 'a' as group 2; was group 1", 12)]
    [InlineData("(?P=zz)", "unknown group name 'zz'", 4)]
    [InlineData("(a\\1)", "cannot refer to an open group", 2)]
    [InlineData("\\2(a)", "invalid group reference 2", 1)]
    [InlineData("(?L)a", "bad inline flags: cannot use 'L' flag with a str pattern", 3)]
    [InlineData("\\N{NOT A NAME}", "undefined character name 'NOT A NAME'", 0)]
    public void Compile_InvalidPattern_FailsLikePython(string pattern, string message, int? position)
    {
        var error = Assert.Throws<PythonRegexError>(() => PythonRegex.Compile(pattern));

        Assert.Equal(message, error.Message);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void Compile_NamedCharacter_MatchesThatCharacter()
    {
        Assert.NotNull(PythonRegex.Compile("\\N{EM DASH}\\N{cjk unified ideograph-4e00}").FullMatch("\u2014\u4e00"));
    }

    [Theory]
    [InlineData("(a)", "\\3", "invalid group reference 3", 1)]
    [InlineData("(a)", "\\g<x>", "unknown group name 'x'", null)]
    [InlineData("(a)", "\\g", "missing <", 2)]
    [InlineData("(a)", "\\q", "bad escape \\q", 0)]
    public void Sub_InvalidTemplate_FailsLikePython(string pattern, string replacement, string message, int? position)
    {
        var error = Assert.Throws<PythonRegexError>(() => PythonRegex.Compile(pattern).Sub(replacement, "a"));

        Assert.Equal(message, error.Message);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void SubSplitFindAll_EmptyMatches_FollowPython37Rules()
    {
        var regex = PythonRegex.Compile("x*");

        // python3: re.sub('x*', '-', 'abxd') == '-a-b--d-'; re.split('x*', 'abxd') == ['', 'a', 'b', '', 'd', '']
        Assert.Equal("-a-b--d-", regex.Sub("-", "abxd"));
        Assert.Equal(["", "a", "b", "", "d", ""], regex.Split("abxd"));
        Assert.Equal(["", "", "x", "", ""], regex.FindAll("abxd").Select(item => item[0]));
    }

    [Fact]
    public void Match_GroupsInRepeats_KeepPythonsCaptures()
    {
        // python3: re.match(r'(?:(a)|(b))*', 'ab').groups() == ('a', 'b'); re.match(r'(a)|b', 'b').groups() == (None,)
        var both = PythonRegex.Compile("(?:(a)|(b))*").Match("ab")!;
        Assert.Equal([(0, 1), (1, 2)], both.Groups);
        Assert.Null(PythonRegex.Compile("(a)|b").Match("b")!.Groups[0]);
    }

    [Fact]
    public void Tree_NestedQuantifier_IsVisibleWithSpans()
    {
        var tree = PythonRegex.Compile("(a+)+$").Tree;

        var outer = Assert.IsType<RepeatNode>(Assert.IsType<SequenceNode>(tree.Root).Items[0]);
        Assert.Equal((0, 5), (outer.Start, outer.End));
        var group = Assert.IsType<GroupNode>(outer.Body);
        Assert.Equal(1, group.Number);
        var inner = Assert.IsType<RepeatNode>(Assert.IsType<SequenceNode>(group.Body).Items[0]);
        Assert.Equal((1, 3, 1L, (long?)null, RepeatKind.Greedy), (inner.Start, inner.End, inner.Min, inner.Max, inner.Kind));
    }
}
