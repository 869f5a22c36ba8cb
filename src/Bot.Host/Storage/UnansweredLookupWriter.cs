using System.Data.Common;
using Bot.Core.Explain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Storage;

/// <summary>
/// Drains <see cref="UnansweredLookupQueue"/> into the database in batches, off the request path;
/// on stop it writes what is still queued. Deletes rows older than <see cref="Retention"/> at start,
/// then at most once per <see cref="PruneInterval"/> after a write, and on stop if one is due.
/// </summary>
internal sealed partial class UnansweredLookupWriter(
    UnansweredLookupQueue queue,
    IUnansweredLookupStore store,
    TimeProvider time,
    ILogger<UnansweredLookupWriter> logger) : BackgroundService
{
    public const int BatchSize = 256;

    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    public static readonly TimeSpan PruneInterval = TimeSpan.FromDays(1);

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await PruneIfDueAsync(stoppingToken);
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Not cancelled by the stop: a batch taken off the queue is written, or it would be lost.
                await WriteQueuedAsync(CancellationToken.None);
                queue.WarnAboutDropsIfDue();
                await PruneIfDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The flush is here, not at the end of ExecuteAsync: a host stopped right after it started (a
        // one-shot `bot explain`) may cancel ExecuteAsync before it ever runs. The adapters were
        // registered later, so they have stopped by now and nothing more is coming.
        await base.StopAsync(cancellationToken);
        queue.Complete();
        await WriteQueuedAsync(CancellationToken.None);
        queue.WarnAboutDropsIfDue();
        await PruneIfDueAsync(CancellationToken.None);
    }

    private async Task WriteQueuedAsync(CancellationToken cancellationToken)
    {
        var batch = new List<UnansweredLookup>(BatchSize);
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && queue.Reader.TryRead(out var lookup))
            {
                batch.Add(lookup);
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                await store.AddAsync(batch, cancellationToken);
            }
            catch (Exception exception) when (exception is DbException or IOException)
            {
                // These rows only inform the instructor: losing a batch must neither stop the bot nor
                // stop the later batches from being kept.
                LogWriteFailed(exception, batch.Count);
            }
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune)
        {
            return;
        }

        try
        {
            var deleted = await store.PruneAsync(now - Retention, cancellationToken);
            _nextPrune = now + PruneInterval;
            if (deleted > 0)
            {
                LogPruned(deleted, Retention.TotalDays);
            }
        }
        catch (Exception exception) when (exception is DbException or IOException)
        {
            // Only a prune that ran, or failed on the database, waits a day: one cut short by the stop is done again on the way out.
            _nextPrune = now + PruneInterval;
            LogPruneFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save {Count} unanswered lookups; they are lost")]
    private partial void LogWriteFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} unanswered lookups older than {Days} days")]
    private partial void LogPruned(int count, double days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete old unanswered lookups; will try again tomorrow")]
    private partial void LogPruneFailed(Exception exception);
}
