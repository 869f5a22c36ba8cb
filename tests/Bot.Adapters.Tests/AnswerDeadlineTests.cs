using Microsoft.Extensions.Time.Testing;

namespace Bot.Adapters.Tests;

/// <summary>The race every platform runs: the work against its budget, on a fake clock.</summary>
public class AnswerDeadlineTests
{
    [Fact]
    public async Task QuickWork_IsInTime()
    {
        var (work, inTime) = await AnswerDeadline.StartAsync(() => Task.FromResult(42), TimeSpan.FromSeconds(2), new FakeTimeProvider(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(inTime);
        Assert.Equal(42, await work);
    }

    [Fact]
    public async Task WorkThatBlocksBeforeItsFirstAwait_MissesTheBudgetWhenTheClockPassesIt_AndStillFinishes()
    {
        var time = new FakeTimeProvider();
        using var release = new ManualResetEventSlim();
        var racing = AnswerDeadline.StartAsync(() =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return Task.FromResult("late");
        }, TimeSpan.FromSeconds(2), time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(2));
        var (work, inTime) = await racing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(inTime);
        Assert.False(work.IsCompleted);
        release.Set();
        Assert.Equal("late", await work.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WorkFromMemory_RunsOnTheCallersThread_AndIsInTimeWhenDoneAtOnce()
    {
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = -1;

        var (work, inTime) = await AnswerDeadline.StartAsync(() =>
        {
            ranOn = Environment.CurrentManagedThreadId;
            return Task.FromResult("at once");
        }, TimeSpan.FromSeconds(2), new FakeTimeProvider(), CancellationToken.None, fromMemory: true);

        Assert.Equal(caller, ranOn);
        Assert.True(inTime);
        Assert.Equal("at once", await work);
    }

    [Fact]
    public async Task WorkFromMemory_ThatAwaitsPastTheBudget_MissesIt_AndStillFinishes()
    {
        var time = new FakeTimeProvider();
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = AnswerDeadline.StartAsync(() => release.Task, TimeSpan.FromSeconds(2), time, CancellationToken.None, fromMemory: true);

        time.Advance(TimeSpan.FromSeconds(2));
        var (work, inTime) = await racing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(inTime);
        release.SetResult("late");
        Assert.Equal("late", await work.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Work_ThatThrowsBeforeItsFirstAwait_IsInTimeAndFailed(bool fromMemory)
    {
        var (work, inTime) = await AnswerDeadline.StartAsync<int>(() => throw new InvalidOperationException("broken"),
            TimeSpan.FromSeconds(2), new FakeTimeProvider(), CancellationToken.None, fromMemory).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(inTime);
        Assert.Equal("broken", (await Assert.ThrowsAsync<InvalidOperationException>(() => work)).Message);
    }

    [Fact]
    public async Task Work_WhenTheCallerGivesUp_IsNotInTime()
    {
        using var givingUp = new CancellationTokenSource();
        var never = new TaskCompletionSource<int>();
        var racing = AnswerDeadline.StartAsync(() => never.Task, TimeSpan.FromSeconds(2), new FakeTimeProvider(), givingUp.Token);

        await givingUp.CancelAsync();
        var (work, inTime) = await racing.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(inTime);
        Assert.False(work.IsCompleted);
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(2_500, true)]
    [InlineData(99, false)]
    [InlineData(2_501, false)]
    [InlineData(3_000, false)]
    public void Problems_BudgetsOutsideWhatThePlatformsAllow_NameTheKey(int milliseconds, bool valid)
    {
        var problems = AnswerDeadline.Problems("Test:AnswerWithin", TimeSpan.FromMilliseconds(milliseconds)).ToList();

        Assert.Equal(valid, problems.Count == 0);
        Assert.All(problems, problem => Assert.StartsWith("Test:AnswerWithin must be from 0.1 s to 2.5 s, e.g. 00:00:01.5 (got ", problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Latest_LeavesTheNetworkHalfASecondOfThePlatformsThreeSeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(2.5), AnswerDeadline.Latest);
}
