using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Bot.Core.Commands;
using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;
using Bot.Core.Replies;
using Bot.RegexEngine;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Fuzz;

/// <summary>
/// Core's text parser and command pipeline, fed seeded random and hand-made input of every shape: empty,
/// whitespace of all kinds, huge, control characters, lone surrogates, emoji, right-to-left text,
/// mentions (<c>@everyone</c>, <c>&lt;!channel&gt;</c>), regex metacharacters, very long words, Markdown,
/// typos of real concept names. /regex-test gets random small patterns and texts within its limits (and
/// a few beyond them). After each reply a random button or menu option of it is pressed, as a learner
/// would, and so is a random or corrupted action id. Every input must get a reply, without an exception,
/// without the pipeline's "something went wrong" (it catches handler failures), and without an error
/// log; every reply has a title and something under it. Seeded: a failure prints the case to replay.
/// </summary>
public class CoreInputFuzzTests(ITestOutputHelper output)
{
    private const int Lines = 6_000;
    private const int RegexRequests = 3_000;

    [Theory]
    [InlineData(20261207)]
    public async Task RandomCommandLines_AlwaysGetAReplyWithoutAFailure(int seed)
    {
        await using var core = FuzzCore.Create();
        var random = new Random(seed);
        var failures = new List<string>();
        var replies = 0;
        var started = Stopwatch.GetTimestamp();

        foreach (var (line, index) in FuzzText.HandMade.Concat(FuzzText.HandMadeLines).Select((line, index) => (line, index)))
        {
            replies += await core.RunLineAsync($"hand-made {index}", line, core.Callers[index % core.Callers.Count], random, failures);
        }

        for (var attempt = 0; attempt < Lines; attempt++)
        {
            var caller = core.Callers[random.Next(core.Callers.Count)];
            var line = FuzzText.Line(random);
            replies += await core.RunLineAsync($"case {attempt}", line, caller, random, failures);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"{replies} replies in {elapsed.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} failures in {replies} replies (seed {seed}):\n{string.Join('\n', failures.Take(15))}");
        Assert.True(core.Errors.Count == 0, string.Join('\n', core.Errors.Take(10)));
        Assert.True(replies > Lines, $"only {replies} replies");
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed}");
    }

    [Theory]
    [InlineData(20261208)]
    public async Task RandomRegexTests_AlwaysGetAReplyWithinTheLimits(int seed)
    {
        await using var core = FuzzCore.Create();
        var random = new Random(seed);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; attempt < RegexRequests; attempt++)
        {
            var request = FuzzText.RegexRequest(random);
            var caller = core.Callers[random.Next(core.Callers.Count)];
            var label = $"case {attempt}: {FuzzText.Show(request.ToString())}";
            CommandResult result;
            try
            {
                result = await core.Pipeline.RunAsync(request, caller, CancellationToken.None);
            }
            catch (Exception exception)
            {
                failures.Add($"{label}: {exception}");
                continue;
            }

            var outcome = result.Outcome?.GetType().Name ?? "none";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            failures.AddRange(FuzzCore.Problems(result).Select(problem => $"{label}: {problem}"));
            if (request.Pattern.Length <= PythonRegex.MaxPatternLength && request.Text.Length <= PythonRegex.MaxTextLength
                && result.Outcome is not (RegexTested or RegexRejected or RegexCutOff))
            {
                failures.Add($"{label}: outcome {outcome}");
            }
        }

        output.WriteLine($"{RegexRequests} requests in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {string.Join(", ", outcomes)}");
        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {seed}):\n{string.Join('\n', failures.Take(15))}");
        Assert.True(core.Errors.Count == 0, string.Join('\n', core.Errors.Take(10)));
        // The generator must reach every outcome, or it tests less than it claims.
        Assert.True(outcomes.GetValueOrDefault(nameof(RegexTested)) > RegexRequests / 3, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(RegexRejected)) > 20, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(RegexCutOff)) > 0, string.Join(", ", outcomes));
    }

    /// <summary>Patterns with a surrogate code point, which Python's <c>re</c> compiles (the lone surrogate in the last is a C# escape).</summary>
    private static readonly (string Pattern, string Text)[] SurrogatePatterns = [(@"\ud800", "x"), (@"a\udfffb", "ab"), (@"\U0000dc00", "x"), ("[\uD800]", "x")];

    /// <summary>Test texts holding a lone surrogate.</summary>
    private static readonly (string Pattern, string Text)[] LoneSurrogateTexts = [("b+", "\uD800 aaa b"), (@"\s", "a \uDFFF"), ("x", "x\uD800y")];

    /// <summary>Found by this fuzz: a pattern with a surrogate code point cannot be explained; plain ASCII typed on any platform reaches it.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RegexTest_SurrogateCodePointInPattern_GetsAnAnswer(int index)
    {
        await using var core = FuzzCore.Create();
        var (pattern, text) = SurrogatePatterns[index];

        var result = await core.Pipeline.RunAsync(CommandText.ParseLine($"/regex-test pattern: {pattern} text: {text}"), core.Callers[0], CancellationToken.None);

        Assert.True(core.Errors.Count == 0, string.Join('\n', core.Errors));
        Assert.Empty(FuzzCore.Problems(result));
    }

    /// <summary>
    /// Found by this fuzz: a test text holding a lone surrogate cannot be marked. No transport delivers one today (each
    /// replaces it with U+FFFD or refuses the request), so only a direct caller of Core meets it.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RegexTest_LoneSurrogateInText_GetsAnAnswer(int index)
    {
        await using var core = FuzzCore.Create();
        var (pattern, text) = LoneSurrogateTexts[index];

        var result = await core.Pipeline.RunAsync(new RegexTestRequest(pattern, text), core.Callers[0], CancellationToken.None);

        Assert.True(core.Errors.Count == 0, string.Join('\n', core.Errors));
        Assert.Empty(FuzzCore.Problems(result));
    }

    [Fact]
    public void ParseLine_HandMadeAndRandomLines_NeverThrow()
    {
        var random = new Random(20261209);
        var lines = FuzzText.HandMade.Concat(FuzzText.HandMadeLines).Concat(Enumerable.Range(0, 5_000).Select(_ => FuzzText.Line(random)));
        var failures = new List<string>();
        foreach (var line in lines)
        {
            try
            {
                var parsed = CommandText.ParseLine(line);
                Assert.NotNull(parsed);
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                Assert.NotNull(CommandText.Parse(space < 0 ? line : line[..space], space < 0 ? "" : line[(space + 1)..]));
                if (parsed is ParsedRequest { Request: RegexTestRequest regex })
                {
                    Assert.NotNull(regex.Pattern);
                    Assert.NotNull(regex.Text);
                }
            }
            catch (Exception exception)
            {
                failures.Add($"{FuzzText.Show(line)}: {exception}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10)));
    }
}
