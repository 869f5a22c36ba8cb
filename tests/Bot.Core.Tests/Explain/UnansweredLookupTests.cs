using System.Collections.Concurrent;
using Bot.Core.Explain;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Tests.Explain;

public class UnansweredLookupTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private readonly RecordingLookups _recorded = new();
    private readonly ListLogger<ExplainHandler> _log = new();
    private readonly ExplainHandler _handler;

    public UnansweredLookupTests() => _handler = new ExplainHandler(Course.Source, _recorded, new FixedTime(Now), _log);

    [Fact]
    public async Task HandleAsync_NothingFound_RecordsNotFoundWithoutCandidates()
    {
        await _handler.HandleAsync(new ExplainRequest("  qwzxv blorf  "), CancellationToken.None);

        var lookup = Assert.Single(_recorded.Lookups);
        Assert.Equal("qwzxv blorf", lookup.Query);
        Assert.Empty(lookup.CandidateIds);
        Assert.Equal(Now, lookup.At);
        Assert.Equal(UnansweredOutcome.NotFound, lookup.Outcome);
    }

    [Fact]
    public async Task HandleAsync_Unsure_RecordsTheSuggestedConceptsInOrder()
    {
        var result = await _handler.HandleAsync(new ExplainRequest("generators iterators"), CancellationToken.None);

        var suggestions = Assert.IsType<ConceptSuggestions>(result.Outcome).Suggestions;
        Assert.NotEmpty(suggestions);
        var lookup = Assert.Single(_recorded.Lookups);
        Assert.Equal("generators iterators", lookup.Query);
        Assert.Equal(suggestions.Select(suggestion => suggestion.ConceptId), lookup.CandidateIds);
        Assert.Equal(UnansweredOutcome.Unsure, lookup.Outcome);
    }

    [Theory]
    [InlineData("closures")]
    [InlineData("closurs")]
    [InlineData("generators example")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task HandleAsync_ShownOrBlank_RecordsNothing(string query)
    {
        var result = await _handler.HandleAsync(new ExplainRequest(query), CancellationToken.None);

        Assert.IsNotType<ConceptSuggestions>(result.Outcome);
        Assert.Empty(_recorded.Lookups);
        Assert.Empty(_log.Entries);
    }

    [Fact]
    public async Task HandleAsync_Miss_LogsOutcomeQueryAndCandidatesAtInformation()
    {
        await _handler.HandleAsync(new ExplainRequest("qwzxv blorf"), CancellationToken.None);

        var entry = Assert.Single(_log.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("NotFound", entry.Properties["Outcome"]?.ToString());
        Assert.Equal("qwzxv blorf", entry.Properties["Query"]);
        Assert.Empty(Assert.IsType<IReadOnlyList<string>>(entry.Properties["Candidates"], exactMatch: false));
        Assert.Contains("qwzxv blorf", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_LongQueryWithLineBreaks_IsClippedBeforeRecordingAndLogging()
    {
        var query = "qwzxv\nblorf " + new string('z', 500);

        await _handler.HandleAsync(new ExplainRequest(query), CancellationToken.None);

        var lookup = Assert.Single(_recorded.Lookups);
        Assert.Equal(UnansweredLookup.MaxQueryLength, lookup.Query.Length);
        Assert.StartsWith("qwzxv blorf zzz", lookup.Query, StringComparison.Ordinal);
        Assert.Equal(lookup.Query, Assert.Single(_log.Entries).Properties["Query"]);
    }

    [Fact]
    public void Clip_CutInsideSurrogatePair_DropsTheHalfCharacter()
    {
        var query = new string('a', UnansweredLookup.MaxQueryLength - 1) + "🐍🐍";

        var clipped = UnansweredLookup.Clip(query);

        Assert.Equal(new string('a', UnansweredLookup.MaxQueryLength - 1), clipped);
    }

    [Fact]
    public void Clip_ShortQuery_KeepsItTrimmed()
    {
        Assert.Equal("KeyError", UnansweredLookup.Clip("  KeyError\t"));
    }

    private sealed class RecordingLookups : IUnansweredLookups
    {
        public ConcurrentQueue<UnansweredLookup> Lookups { get; } = new();

        public void Record(UnansweredLookup lookup) => Lookups.Enqueue(lookup);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
