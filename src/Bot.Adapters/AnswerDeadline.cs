using System.Globalization;

namespace Bot.Adapters;

/// <summary>
/// Both platforms' rule for every command and button: an answer, or an acknowledgement, within 3 seconds.
/// Core is given a budget (<c>Discord:AnswerWithin</c>, <c>Slack:AnswerWithin</c>); past it the adapter
/// defers or acknowledges and delivers the answer later. Every budget stays within <see cref="Latest"/>,
/// which leaves the rest of the platform's limit for the network, so the deadlines cannot disagree.
/// </summary>
public static class AnswerDeadline
{
    /// <summary>Discord's limit for the interaction callback and Slack's for the acknowledgement.</summary>
    public static readonly TimeSpan PlatformLimit = TimeSpan.FromSeconds(3);

    /// <summary>The latest an answer may be sent and still arrive within <see cref="PlatformLimit"/>: 0.5 s is left for the network.</summary>
    public static readonly TimeSpan Latest = PlatformLimit - TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Starts <paramref name="work"/> and waits for it at most <paramref name="budget"/>. Work that may block
    /// before its first await (SQLite's async calls complete synchronously, and a locked file waits) starts on
    /// the thread pool, so the budget holds whatever it does; work <paramref name="fromMemory"/> (a command
    /// the catalog says is answered from what is loaded) runs on the caller's thread, and when it is done
    /// at once, as it nearly always is, no timer is started at all.
    /// </summary>
    /// <returns>The work, and whether it finished within the budget.</returns>
    public static async Task<(Task<T> Work, bool InTime)> StartAsync<T>(
        Func<Task<T>> work, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken, bool fromMemory = false)
    {
        ArgumentNullException.ThrowIfNull(work);
        var running = fromMemory ? StartHere(work) : Task.Run(work, CancellationToken.None);
        if (!running.IsCompleted)
        {
            // Its failure, if any, is the caller's to observe through the work itself.
            await ((Task)running).WaitAsync(budget, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return (running, running.IsCompleted);
    }

    private static Task<T> StartHere<T>(Func<Task<T>> work)
    {
        try
        {
            return work();
        }
        catch (Exception exception)
        {
            // As Task.Run would have it: a failure to start is the work's failure, not the race's.
            return Task.FromException<T>(exception);
        }
    }

    /// <summary>What is wrong with a budget, naming its key (e.g. <c>Discord:AnswerWithin</c>).</summary>
    public static IEnumerable<string> Problems(string key, TimeSpan budget)
    {
        if (budget < Shortest || budget > Latest)
        {
            yield return $"{key} must be from {Seconds(Shortest)} to {Seconds(Latest)}, e.g. 00:00:01.5 (got {Seconds(budget)}): the platform wants an answer within 3 s and the network needs the rest.";
        }
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
