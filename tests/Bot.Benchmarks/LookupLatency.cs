using System.Diagnostics;
using Bot.Core.Knowledge;

namespace Bot.Benchmarks;

/// <summary>
/// The latency of single lookups as learners make them: every labelled learner query of the tests
/// (typos, error messages, pasted code, questions) is timed one by one, many rounds, against the
/// course and against a generated course of 1,000 concepts, where the generated concepts' own
/// names, misspellings and questions are timed too. Prints p50, p99 and the maximum per course.
/// BenchmarkDotNet's <see cref="LookupBenchmarks"/> gives the mean per path; this gives the tail.
/// </summary>
internal static class LookupLatency
{
    private const int Rounds = 30;

    public static int Run(string[] args)
    {
        var rounds = args is ["--rounds", var value] ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : Rounds;
        var learnerQueries = LearnerQueries();

        var course = Loaded.Require(KnowledgeBaseLoader.LoadDirectory(RepoPaths.Content), RepoPaths.Content).KnowledgeBase!;
        Report("python course", course, learnerQueries, rounds);
        Report("python course, 4,000-character hostile queries", course, HostileQueries(), 3);

        var generated = CourseGenerator.Generate(LookupBenchmarks.GeneratedConceptCount, RepoPaths.Content);
        const string root = "/generated/content";
        var files = generated.ToContentFiles(root);
        var loading = Stopwatch.StartNew();
        var generatedBase = Loaded.Require(KnowledgeBaseLoader.Load(files), root).KnowledgeBase!;
        Console.WriteLine($"generated course loaded and indexed in {loading.ElapsedMilliseconds} ms (BenchmarkDotNet's LoadBenchmarks measures this properly)");
        if (Environment.GetEnvironmentVariable("TIME_INDEX") == "1")
        {
            for (var run = 0; run < 3; run++)
            {
                loading.Restart();
                Loaded.Require(KnowledgeBaseLoader.Load(files), root);
                var loaded = loading.ElapsedMilliseconds;
                loading.Restart();
                _ = new Bot.Core.Search.ConceptSearch(generatedBase.Concepts);
                Console.WriteLine($"load {loaded} ms, of which the search index {loading.ElapsedMilliseconds} ms");
            }
        }
        var generatedQueries = generated.Concepts
            .Where(concept => CourseGenerator.CanTranspose(concept.Aliases[0]))
            .Take(200)
            .SelectMany(concept => new[] { concept.Aliases[0], CourseGenerator.Transpose(concept.Aliases[0]), CourseGenerator.PhraseQuery(generated, concept) })
            .Concat(learnerQueries)
            .ToList();
        Report($"generated, {LookupBenchmarks.GeneratedConceptCount:N0} concepts", generatedBase, generatedQueries, rounds);
        return 0;
    }

    /// <summary>Long pastes built to make pattern matching backtrack: the search must stay fast on them too.</summary>
    private static List<string> HostileQueries() =>
    [
        "(" + string.Concat(Enumerable.Repeat("for ", 1000)),
        "[" + string.Concat(Enumerable.Repeat("x for x, ", 500)),
        "def f(" + string.Concat(Enumerable.Repeat("a, ", 1300)),
        string.Concat(Enumerable.Repeat("a, ", 1300)) + "*b =",
        string.Concat(Enumerable.Repeat("x[:", 1300)),
        string.Concat(Enumerable.Repeat("_a__", 1000)),
        string.Concat(Enumerable.Repeat("with a ", 600)),
        string.Concat(Enumerable.Repeat("déjà vu ", 500)),
    ];

    /// <summary>Every labelled set (tuning and held out alike); the ratchet file is not a set.</summary>
    private static List<string> LearnerQueries() =>
        [.. Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "Bot.Core.Tests", "Search", "Queries"), "*.tsv")
            .Where(path => Path.GetFileName(path) != "ratchet.tsv")
            .Order(StringComparer.Ordinal)
            .SelectMany(path => File.ReadAllLines(path).Skip(1))
            .Select(line => line.Split('\t'))
            .Where(columns => columns.Length == 3)
            .Select(columns => columns[2])];

    private static void Report(string name, KnowledgeBase knowledgeBase, List<string> queries, int rounds)
    {
        // Enough warm-up rounds for the JIT's later tiers, so the figures are the steady state a server runs in.
        for (var round = 0; round < 5; round++)
        {
            foreach (var query in queries)
            {
                knowledgeBase.Lookup(query);
            }
        }

        var timings = new List<double>(queries.Count * rounds);
        var stopwatch = new Stopwatch();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var query in queries)
            {
                stopwatch.Restart();
                knowledgeBase.Lookup(query);
                stopwatch.Stop();
                timings.Add(stopwatch.Elapsed.TotalMicroseconds);
            }
        }

        timings.Sort();
        Console.WriteLine(
            $"{name}: {queries.Count} queries x {rounds} rounds: p50 {Percentile(timings, 0.50):0.0} µs, p99 {Percentile(timings, 0.99):0.0} µs, max {timings[^1]:0.0} µs");
    }

    private static double Percentile(List<double> sorted, double share) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(share * sorted.Count) - 1)];
}
