using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Bot.Host.Tests.Regex;

/// <summary>The real <c>bot regex-test --jsonl</c> against python3's <c>re</c> (via <c>re_oracle.py</c>), case by case.</summary>
public class RegexDifferentialTests
{
    /// <summary>Cases known to differ from CPython, with the reason. Keep this empty unless a difference is
    /// understood and accepted; every entry is reported in the final summary.</summary>
    private static readonly Dictionary<string, string> KnownDivergences = new(StringComparer.Ordinal)
    {
    };

    private static string RegexDirectory => Path.Combine(RepoPaths.Root, "tests", "Bot.Host.Tests", "Regex");

    [Fact]
    public async Task CPythonReTests_EveryCase_AgreesWithPython()
    {
        var cases = await RunPythonAsync(Path.Combine(RegexDirectory, "emit_re_tests.py"), "");
        var lines = SplitLines(cases);
        Assert.True(lines.Count > 380, $"expected the full re_tests table, got {lines.Count} cases");
        await AssertAgreesAsync(lines);
    }

    [Fact]
    public async Task Corpus_EveryCase_AgreesWithPython()
    {
        var path = Path.Combine(RegexDirectory, "corpus.jsonl");
        if (!File.Exists(path))
        {
            return;
        }

        var lines = SplitLines(await File.ReadAllTextAsync(path));
        await AssertAgreesAsync(lines);
    }

    [Fact]
    public async Task MalformedLines_EachGetsOneInputErrorLine()
    {
        string[] lines = ["not json", "{\"pattern\":\"a\"}", "{\"pattern\":\"a\",\"text\":\"a\",\"mode\":\"nope\"}", "{\"pattern\":\"a\",\"text\":\"a\",\"flags\":\"q\"}", "{\"pattern\":\"a\",\"text\":\"aa\"}"];

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["regex-test", "--jsonl"], string.Join('\n', lines) + "\n");

        Assert.True(exitCode == 0, stderr);
        var answers = SplitLines(stdout);
        Assert.Equal(lines.Length, answers.Count);
        for (var i = 0; i < 4; i++)
        {
            Assert.NotNull(JsonNode.Parse(answers[i])!["inputError"]);
        }

        Assert.Equal(2, JsonNode.Parse(answers[4])!["matches"]!.AsArray().Count);
    }

    private static async Task AssertAgreesAsync(List<string> cases)
    {
        var input = string.Join('\n', cases) + "\n";
        var expected = SplitLines(await RunPythonAsync(Path.Combine(RegexDirectory, "re_oracle.py"), input));
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["regex-test", "--jsonl"], input);
        Assert.True(exitCode == 0, stderr);
        var actual = SplitLines(stdout);
        Assert.Equal(cases.Count, expected.Count);
        Assert.Equal(cases.Count, actual.Count);

        var divergences = new List<string>();
        var accepted = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var python = JsonNode.Parse(expected[i]);
            var bot = JsonNode.Parse(actual[i]);
            var bothInputErrors = python?["inputError"] is not null && bot?["inputError"] is not null;
            if (bothInputErrors || JsonNode.DeepEquals(python, bot))
            {
                continue;
            }

            if (KnownDivergences.ContainsKey(cases[i]))
            {
                accepted++;
                continue;
            }

            divergences.Add($"case {cases[i]}\n  python {expected[i]}\n  bot    {actual[i]}");
        }

        Assert.True(divergences.Count == 0, $"{divergences.Count} of {cases.Count} cases diverge ({accepted} known):\n" + string.Join('\n', divergences));
    }

    /// <summary>Only '\n' ends a line: cases may hold U+2028 or U+001C, which other splitters treat as line breaks.</summary>
    private static List<string> SplitLines(string text) =>
        [.. text.Split('\n').Where(line => line.Trim().Length > 0)];

    private static async Task<string> RunPythonAsync(string script, string stdin)
    {
        var start = new ProcessStartInfo("python3", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
        };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        return await stdout;
    }
}
