using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests.Shared;

internal static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Waits for something that is bound to happen; the timeout only keeps a broken test from hanging.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Timeout)
            {
                throw new TimeoutException($"Waited for {what}.");
            }

            await Task.Delay(5);
        }
    }
}

/// <summary>A fake clock that records the due time of every timer made on it, so a test moves it only once the code under test waits.</summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly List<TimeSpan> _dueTimes = [];

    public IReadOnlyList<TimeSpan> DueTimes
    {
        get { lock (_dueTimes) { return [.. _dueTimes]; } }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>
    /// Waits until something waits <paramref name="delay"/> on this clock, and returns the timer's due time:
    /// <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> rounds down to whole milliseconds.
    /// </summary>
    public Task<TimeSpan> WaitForTimerAsync(TimeSpan delay) =>
        WaitForTimerAsync(0, due => due <= delay && due > delay - TimeSpan.FromMilliseconds(1), $"a timer of {delay}");

    /// <summary>Waits until a timer made after the first <paramref name="skip"/> matches, and returns its due time.</summary>
    public async Task<TimeSpan> WaitForTimerAsync(int skip, Func<TimeSpan, bool> match, string what)
    {
        var due = TimeSpan.Zero;
        var found = false;
        await Eventually.TrueAsync(() =>
        {
            foreach (var dueTime in DueTimes.Skip(skip))
            {
                if (match(dueTime))
                {
                    (due, found) = (dueTime, true);
                    break;
                }
            }

            return found;
        }, $"{what}; timers since: [{string.Join(", ", DueTimes.Skip(skip))}]");
        return due;
    }
}
