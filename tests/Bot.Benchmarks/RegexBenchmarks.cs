using BenchmarkDotNet.Attributes;
using Bot.RegexEngine;

namespace Bot.Benchmarks;

/// <summary>
/// The regex engine on what a regex-test case does (compile, then run one mode) for typical tutor patterns,
/// and the time a catastrophic pattern takes to reach its cutoff. The benchmark project references the engine and
/// Core but not the host, so this measures the engine without the JSON Lines wrapper around it.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RegexBenchmarks
{
    private static readonly (string Pattern, string Text)[] TypicalCases =
    [
        (@"\d+", "order 66 shipped on 2024-05-17 at 10:30"),
        (@"(?P<user>[\w.]+)@(?P<host>[\w.]+)", "mail alice.smith@example.com or bob@test.org"),
        (@"^\s*def\s+(\w+)\(", "    def handle(self, request):"),
        (@"(?i)colou?r", "Colour and COLOR and colr"),
        (@"\b\w+\b", "the quick brown fox jumps over the lazy dog"),
        (@"(\w+)\s+\1", "this is is a test test case"),
        (@"[A-Z][a-z]+(?=\s)", "Alice met Bob in Paris yesterday"),
        (@"(a|b)*c", "ababababababababc"),
    ];

    private static readonly string CatastrophicText = new string('a', 30) + "b";

    /// <summary>Eight cases per invocation: divide the mean by eight for the time per case.</summary>
    [Benchmark]
    public int TypicalCases_CompileAndFindIter()
    {
        var total = 0;
        foreach (var (pattern, text) in TypicalCases)
        {
            total += PythonRegex.Compile(pattern).FindIter(text).Count;
        }

        return total;
    }

    [Benchmark]
    public bool NestedQuantifier_UntilCutoff() => CutOff("(a+)+$");

    [Benchmark]
    public bool OverlappingAlternation_UntilCutoff() => CutOff("(a|aa)+$");

    [Benchmark]
    public bool DoubledPlus_UntilCutoff() => CutOff("(x+x+)+y", new string('x', 30));

    private static bool CutOff(string pattern, string? text = null)
    {
        try
        {
            PythonRegex.Compile(pattern).Search(text ?? CatastrophicText);
            return false;
        }
        catch (RegexCutoffException)
        {
            return true;
        }
    }
}
