using Bot.Core.Explain;
using Bot.Host.Storage;
using Bot.Host.Tests.Quiz;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Host.Tests.Storage;

public class UnansweredLookupTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public async Task Writer_LookupsRecordedWhileRunning_AreAllInTheDatabaseAfterStop()
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = new SqliteUnansweredLookupStore(database.Path);
        var queue = new UnansweredLookupQueue(_time, new ListLogger<UnansweredLookupQueue>());
        using var writer = new UnansweredLookupWriter(queue, store, _time, new ListLogger<UnansweredLookupWriter>());

        await writer.StartAsync(CancellationToken.None);
        for (var index = 0; index < UnansweredLookupWriter.BatchSize * 3 + 7; index++)
        {
            queue.Record(new UnansweredLookup($"query {index % 10}", ["closures"], Now));
        }

        await writer.StopAsync(CancellationToken.None);

        var report = await store.ReportAsync(Now.AddDays(-1), limit: 100, CancellationToken.None);
        Assert.Equal(UnansweredLookupWriter.BatchSize * 3 + 7, report.Lookups);
        Assert.Equal(10, report.Queries);
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public async Task Writer_StoppedAfterRecordsWithNoTimeToWrite_FlushesThemOnStop()
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = new SqliteUnansweredLookupStore(database.Path);
        var queue = new UnansweredLookupQueue(_time, new ListLogger<UnansweredLookupQueue>());
        using var writer = new UnansweredLookupWriter(queue, store, _time, new ListLogger<UnansweredLookupWriter>());
        queue.Record(new UnansweredLookup("before start", [], Now));

        await writer.StartAsync(CancellationToken.None);
        queue.Record(new UnansweredLookup("qwzxv blorf", [], Now));
        await writer.StopAsync(CancellationToken.None);
        queue.Record(new UnansweredLookup("after stop", [], Now));

        var report = await store.ReportAsync(Now.AddDays(-1), limit: 10, CancellationToken.None);
        Assert.Equal(["before start", "qwzxv blorf"], report.Rows.Select(row => row.Query).Order(StringComparer.Ordinal));
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public async Task Writer_StartedAndStopped_DeletesRowsOlderThanTheRetention()
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = new SqliteUnansweredLookupStore(database.Path);
        await store.AddAsync(
        [
            new UnansweredLookup("too old", [], Now - UnansweredLookupWriter.Retention - TimeSpan.FromMinutes(1)),
            new UnansweredLookup("kept", [], Now - UnansweredLookupWriter.Retention + TimeSpan.FromMinutes(1)),
        ], CancellationToken.None);
        var log = new ListLogger<UnansweredLookupWriter>();
        using var writer = new UnansweredLookupWriter(new UnansweredLookupQueue(_time, new ListLogger<UnansweredLookupQueue>()), store, _time, log);

        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);

        var report = await store.ReportAsync(Now.AddYears(-1), limit: 10, CancellationToken.None);
        Assert.Equal("kept", Assert.Single(report.Rows).Query);
        Assert.Contains(log.Entries, entry => entry.Level == LogLevel.Information && entry.Message.StartsWith("Deleted 1 unanswered lookups older than 90 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Writer_RunningForADay_PrunesAgain()
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = new SqliteUnansweredLookupStore(database.Path);
        await store.AddAsync([new UnansweredLookup("ages out tomorrow", [], Now - UnansweredLookupWriter.Retention + TimeSpan.FromHours(12))], CancellationToken.None);
        var queue = new UnansweredLookupQueue(_time, new ListLogger<UnansweredLookupQueue>());
        using var writer = new UnansweredLookupWriter(queue, store, _time, new ListLogger<UnansweredLookupWriter>());

        await writer.StartAsync(CancellationToken.None);
        _time.Advance(UnansweredLookupWriter.PruneInterval);
        queue.Record(new UnansweredLookup("today", [], _time.GetUtcNow()));
        await writer.StopAsync(CancellationToken.None);

        var report = await store.ReportAsync(Now.AddYears(-1), limit: 10, CancellationToken.None);
        Assert.Equal("today", Assert.Single(report.Rows).Query);
    }

    [Fact]
    public void Queue_Full_DropsCountsAndWarnsAtMostOncePerInterval()
    {
        var log = new ListLogger<UnansweredLookupQueue>();
        var queue = new UnansweredLookupQueue(_time, log, capacity: 2);

        for (var index = 0; index < 5; index++)
        {
            queue.Record(new UnansweredLookup($"q{index}", [], Now));
        }

        var first = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, first.Level);
        Assert.StartsWith("Dropped 1 unanswered lookups", first.Message, StringComparison.Ordinal);
        Assert.Equal(2, queue.Dropped);

        _time.Advance(UnansweredLookupQueue.WarningInterval - TimeSpan.FromSeconds(1));
        queue.Record(new UnansweredLookup("still full", [], Now));
        Assert.Single(log.Entries);

        _time.Advance(TimeSpan.FromSeconds(1));
        queue.Record(new UnansweredLookup("a minute later", [], Now));

        Assert.Equal(2, log.Entries.Count);
        Assert.StartsWith("Dropped 4 unanswered lookups", log.Entries[^1].Message, StringComparison.Ordinal);
        Assert.Equal(0, queue.Dropped);
    }

    [Theory]
    [InlineData("KeyError", "keyerror")]
    [InlineData("  why  are\tpython \n threads slow ", "why are python threads slow")]
    [InlineData("", "")]
    public void QueryKey_AnyWording_IsLowerCaseWithSingleSpaces(string query, string key)
    {
        Assert.Equal(key, IUnansweredLookupStore.QueryKey(query));
    }}
