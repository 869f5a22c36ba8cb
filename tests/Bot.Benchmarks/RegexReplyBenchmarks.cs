using BenchmarkDotNet.Attributes;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.RegexTest;

namespace Bot.Benchmarks;

/// <summary>
/// Whole <c>/regex-test</c> replies (run, marks, explanation), the worst case being a catastrophic
/// pattern that is cut off, and <c>/explain</c> latency while other users' hostile patterns keep the
/// regex workers busy.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes them in GlobalCleanup; benchmark classes must not be sealed.")]
public class RegexReplyBenchmarks
{
    private readonly RegexTestHandler _handler = new(new RegexTestLimits());
    private ExplainHandler _explain = null!;
    private CancellationTokenSource? _load;
    private Task[] _hostileUsers = [];

    /// <summary>How many other users are sending <c>(a+)+$</c> over and over while <c>/explain</c> is measured.</summary>
    [Params(0, 4)]
    public int HostileUsers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var knowledgeBase = Loaded.Require(KnowledgeBaseLoader.LoadDirectory(RepoPaths.Content), RepoPaths.Content).KnowledgeBase!;
        _explain = new ExplainHandler(new FixedSource(knowledgeBase));
        _load = new CancellationTokenSource();
        var token = _load.Token;
        _hostileUsers = [.. Enumerable.Range(0, HostileUsers).Select(_ => Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                await _handler.HandleAsync(new RegexTestRequest("(a+)+$", new string('a', 40) + "!"), CancellationToken.None);
            }
        }))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _load?.Cancel();
        Task.WaitAll(_hostileUsers);
        _handler.Dispose();
        _load?.Dispose();
    }

    [Benchmark]
    public async Task<int> Explain_Closures() => (await _explain.HandleAsync(new ExplainRequest("closures"), CancellationToken.None)).Reply.Body.Length;

    [Benchmark]
    public async Task<int> RegexTest_TypicalReply() =>
        (await _handler.HandleAsync(new RegexTestRequest(@"(?P<user>[\w.]+)@(?P<host>[\w.]+)", "mail alice.smith@example.com or bob@test.org"), CancellationToken.None)).Reply.Body.Length;

    [Benchmark]
    public async Task<int> RegexTest_CatastrophicReply() =>
        (await _handler.HandleAsync(new RegexTestRequest("(a+)+$", new string('a', 40) + "!"), CancellationToken.None)).Reply.Body.Length;

    private sealed class FixedSource(KnowledgeBase knowledgeBase) : IKnowledgeBaseSource
    {
        public KnowledgeBase Current => knowledgeBase;
    }
}
