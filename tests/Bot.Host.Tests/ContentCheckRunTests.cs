using System.Text.Json;

namespace Bot.Host.Tests;

/// <summary><c>bot content check --run</c> as an author runs it: the real process on small fixture folders.</summary>
public class ContentCheckRunTests
{
    private static readonly string Examples = RepoPaths.Fixture("examples");

    private static readonly string ExamplesFile = Path.Combine(Examples, "python", "examples.md");

    [Fact]
    public async Task ContentCheckRun_FailingExamples_PrintsEachAtItsFileLineWithSkipsAndSummaryAndExitsOne()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["content", "check", Examples, "--run"]);

        Assert.True(exitCode == 1, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains($"{ExamplesFile}:17: exited 1\n", stdout, StringComparison.Ordinal);
        Assert.Contains($"File \"{ExamplesFile}\", line 19, in divide", stdout, StringComparison.Ordinal);
        Assert.Contains($"{ExamplesFile}:23: printed something other than its output block\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\n    -delta\n    +beta\n", stdout, StringComparison.Ordinal);
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(ExamplesFile)}:38: exited 1 \(start methods? spawn", stdout);
        Assert.Contains($"{ExamplesFile}:34: skipped: needs Python ≥ 3.99; python3 is 3.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain($"{ExamplesFile}:9:", stdout, StringComparison.Ordinal);
        Assert.Contains("5 examples: 1 passed, 3 failed, 1 skipped", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentCheckRunJson_FailingExamples_ListsEveryResult()
    {
        var (exitCode, stdout, _) = await BotProcess.RunAsync(["content", "check", Examples, "--run", "--json"]);

        Assert.Equal(1, exitCode);
        var examples = JsonDocument.Parse(stdout).RootElement.GetProperty("examples");
        Assert.Equal((5, 1, 3, 1), (examples.GetProperty("total").GetInt32(), examples.GetProperty("passed").GetInt32(),
            examples.GetProperty("failed").GetInt32(), examples.GetProperty("skipped").GetInt32()));
        var results = examples.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([9, 17, 23, 34, 38], results.Select(result => result.GetProperty("line").GetInt32()));
        Assert.Equal(["passed", "failed", "failed", "skipped", "failed"], results.Select(result => result.GetProperty("status").GetString()));
        Assert.Contains("spawn", results[4].GetProperty("failures").EnumerateArray().Select(failure => failure.GetProperty("startMethod").GetString()));
        Assert.Equal("python3", examples.GetProperty("python").GetProperty("command").GetString());
    }

    [Fact]
    public async Task ContentCheckRun_PassingExamples_ExitsZero()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["content", "check", RepoPaths.Fixture("valid"), "--run"]);

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.Matches(@"\d+ examples: \d+ passed, 0 failed, 0 skipped", stdout);
    }

    [Fact]
    public async Task ContentCheckRun_PythonNotFound_NamesTheFlagAndExitsTwo()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["content", "check", Examples, "--run", "--python", "/nonexistent/python3"]);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.StartsWith("--python /nonexistent/python3: /nonexistent/python3 could not be started", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentCheck_PythonWithoutRun_IsAUsageError()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["content", "check", Examples, "--python", "python3"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--python only matters with --run", stderr, StringComparison.Ordinal);
    }
}
