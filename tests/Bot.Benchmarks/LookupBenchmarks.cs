using BenchmarkDotNet.Attributes;
using Bot.Core.Knowledge;
using Bot.Core.Search;

namespace Bot.Benchmarks;

/// <summary>
/// One learner query against a loaded knowledge base, on each path of the search: an exact name,
/// a misspelt name, and a question answered by scoring. Targets: under 1 ms on the course and
/// 5 ms on a generated course of 1,000 concepts (the p99 over real queries is measured by
/// <see cref="LookupLatency"/>).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LookupBenchmarks
{
    public const string RealCourse = "python (real)";
    public const string GeneratedCourse1k = "generated 1k";
    public const int GeneratedConceptCount = 1_000;

    private KnowledgeBase _knowledgeBase = null!;
    private string _exactQuery = "";
    private string _typoQuery = "";
    private string _phraseQuery = "";

    [Params(RealCourse, GeneratedCourse1k)]
    public string Course { get; set; } = RealCourse;

    [GlobalSetup]
    public void SetUp()
    {
        if (Course == RealCourse)
        {
            _knowledgeBase = Loaded.Require(KnowledgeBaseLoader.LoadDirectory(RepoPaths.Content), RepoPaths.Content).KnowledgeBase!;
            _exactQuery = "global interpreter lock";
            _typoQuery = "decarator";
            _phraseQuery = "why are python threads slow";
            Expect(_exactQuery, MatchKind.Exact, "gil");
            Expect(_typoQuery, MatchKind.Typo, "decorators");
            Expect(_phraseQuery, null, "gil");
        }
        else
        {
            SetUpGenerated();
        }

        Console.WriteLine($"// {Course}: exact '{_exactQuery}', typo '{_typoQuery}', phrase '{_phraseQuery}' -> {Describe(_phraseQuery)}");
    }

    [Benchmark(Description = "Lookup exact name")]
    public LookupResult Exact() => _knowledgeBase.Lookup(_exactQuery);

    [Benchmark(Description = "Lookup misspelt name")]
    public LookupResult Typo() => _knowledgeBase.Lookup(_typoQuery);

    [Benchmark(Description = "Lookup question (full text)")]
    public LookupResult Phrase() => _knowledgeBase.Lookup(_phraseQuery);

    private void SetUpGenerated()
    {
        const string root = "/generated/content";
        var course = CourseGenerator.Generate(GeneratedConceptCount, RepoPaths.Content);
        _knowledgeBase = Loaded.Require(KnowledgeBaseLoader.Load(course.ToContentFiles(root)), root).KnowledgeBase!;

        // A concept from the middle of the course, by an alias with different case, then by
        // that alias with two letters swapped.
        var target = course.Concepts.Skip(course.Concepts.Count * 3 / 7).First(concept => CourseGenerator.CanTranspose(concept.Aliases[0]));
        _exactQuery = target.Aliases[0].ToUpperInvariant();
        _typoQuery = CourseGenerator.Transpose(target.Aliases[0]);
        Expect(_exactQuery, MatchKind.Exact, target.Id);
        Expect(_typoQuery, MatchKind.Typo, target.Id);

        // The first concept from there on whose rarest words make a question the full-text
        // index answers with that concept, so the benchmark measures a confident answer.
        var start = course.Concepts.Count / 2;
        for (var offset = 0; offset < 50; offset++)
        {
            var candidate = course.Concepts[start + offset];
            var query = CourseGenerator.PhraseQuery(course, candidate);
            if (_knowledgeBase.Lookup(query) is { Kind: MatchKind.Phrase } result && result.Concept?.Id == candidate.Id)
            {
                _phraseQuery = query;
                return;
            }
        }

        throw new InvalidOperationException("no generated concept in 50 is found by a question made of its rarest words");
    }

    private void Expect(string query, MatchKind? kind, string id)
    {
        var result = _knowledgeBase.Lookup(query);
        if ((kind is not null && result.Kind != kind) || result.Concept?.Id != id)
        {
            throw new InvalidOperationException(
                $"lookup '{query}' should find '{id}'{(kind is null ? "" : $" as {kind}")} but gave {result.Kind} '{result.Concept?.Id}'");
        }
    }

    private string Describe(string query)
    {
        var result = _knowledgeBase.Lookup(query);
        return $"{result.Kind} '{result.Concept?.Id}'";
    }
}
