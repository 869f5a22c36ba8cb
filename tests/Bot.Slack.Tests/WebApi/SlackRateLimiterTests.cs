using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.WebApi;

public sealed class SlackRateLimiterTests
{
    [Fact]
    public async Task WaitAsync_MethodPaused_WaitsUntilPauseEndsButOtherMethodsDoNot()
    {
        var time = new FakeTimeProvider();
        var limiter = new SlackRateLimiter(time, NullLogger<SlackRateLimiter>.Instance);
        limiter.Pause("chat.postMessage", TimeSpan.FromSeconds(3), attempt: 1);

        var first = limiter.WaitAsync("chat.postMessage", CancellationToken.None);
        var second = limiter.WaitAsync("chat.postMessage", CancellationToken.None);
        var other = limiter.WaitAsync("conversations.history", CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Pause_ShorterAfterLonger_KeepsTheLongerPause()
    {
        var time = new FakeTimeProvider();
        var limiter = new SlackRateLimiter(time, NullLogger<SlackRateLimiter>.Instance);
        limiter.Pause("chat.update", TimeSpan.FromSeconds(10), attempt: 1);
        limiter.Pause("chat.update", TimeSpan.FromSeconds(1), attempt: 1);

        var waiting = limiter.WaitAsync("chat.update", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(5));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
