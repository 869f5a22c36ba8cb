using BenchmarkDotNet.Attributes;
using Bot.Core.Knowledge;

namespace Bot.Benchmarks;

/// <summary>
/// Loading and validating the shipped course: file reads, Markdown and YAML parsing, the checks
/// across files and building the search index. Target: 100 ms. Fifteen warm-up rounds, because after
/// three the YAML parser still ran unoptimised code and the figure wandered by half.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 15, iterationCount: 30)]
public class LoadBenchmarks
{
    private string _realContent = "";

    [GlobalSetup]
    public void SetUp()
    {
        _realContent = RepoPaths.Content;
        Loaded.Require(KnowledgeBaseLoader.LoadDirectory(_realContent), _realContent);
    }

    [Benchmark(Description = "Load real course (content/)")]
    public KnowledgeBaseLoadResult LoadRealCourse() => KnowledgeBaseLoader.LoadDirectory(_realContent);
}

/// <summary>Loading a generated course of 10,000 concepts. Target: 3 s.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LargeCourseLoadBenchmarks
{
    public const int GeneratedConceptCount = 10_000;

    private string _generatedFolder = "";
    private string _generatedContent = "";

    [GlobalSetup]
    public void SetUp()
    {
        _generatedFolder = Path.Combine(Path.GetTempPath(), "bot-benchmarks-" + Guid.NewGuid().ToString("N"));
        _generatedContent = Path.Combine(_generatedFolder, "content");
        CourseGenerator.Generate(GeneratedConceptCount, RepoPaths.Content).WriteTo(_generatedContent);
        var result = Loaded.Require(KnowledgeBaseLoader.LoadDirectory(_generatedContent), _generatedContent);
        if (result.Concepts.Count != GeneratedConceptCount)
        {
            throw new InvalidOperationException($"expected {GeneratedConceptCount} concepts in {_generatedContent}, loaded {result.Concepts.Count}");
        }
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        if (_generatedFolder.Length > 0 && Directory.Exists(_generatedFolder))
        {
            Directory.Delete(_generatedFolder, recursive: true);
        }
    }

    [Benchmark(Description = "Load generated course (10,000 concepts)")]
    public KnowledgeBaseLoadResult LoadGenerated10k() => KnowledgeBaseLoader.LoadDirectory(_generatedContent);
}

internal static class Loaded
{
    /// <summary>Fails the setup, showing the first errors, unless the content loaded cleanly.</summary>
    public static KnowledgeBaseLoadResult Require(KnowledgeBaseLoadResult result, string root)
    {
        if (result.Errors.Count > 0 || result.KnowledgeBase is null)
        {
            var first = string.Join(Environment.NewLine, result.Errors.Take(5).Select(error => "  " + error));
            throw new InvalidOperationException(
                $"content under {root} must load without errors, but has {result.Errors.Count}:{Environment.NewLine}{first}");
        }

        return result;
    }
}
