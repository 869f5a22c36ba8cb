using System.Collections.Concurrent;

namespace Bot.Adapters;

/// <summary>
/// Work that outlives the request that started it (an answer edited in after a deferral, a reply sent
/// to a response URL), tracked so that a shutdown (SIGTERM) finishes it before the process exits
/// instead of leaving a learner without an answer.
/// </summary>
public sealed class InFlightWork
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public int Count => _running.Count;

    public void Track(Task work)
    {
        ArgumentNullException.ThrowIfNull(work);
        _running.TryAdd(work, 0);
        work.ContinueWith(finished => _running.TryRemove(finished, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until everything tracked has finished, or <paramref name="cancellationToken"/> gives up.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (!_running.IsEmpty)
        {
            foreach (var work in _running.Keys)
            {
                // Each interaction logs its own failures; here only its end matters.
                await work.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
