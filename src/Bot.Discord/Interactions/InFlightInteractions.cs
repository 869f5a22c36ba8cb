using System.Collections.Concurrent;

namespace Bot.Discord.Interactions;

/// <summary>
/// The interactions being answered in the background, so that a shutdown (SIGTERM) finishes them
/// before the process exits instead of leaving a learner with "the application did not respond".
/// </summary>
public sealed class InFlightInteractions
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
