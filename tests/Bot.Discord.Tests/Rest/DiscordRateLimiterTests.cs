using System.Net;
using System.Text;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Rest;

/// <summary>The limiter's waits on a fake clock, with an in-process stub behind it instead of a server.</summary>
public sealed class DiscordRateLimiterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task SendAsync_BucketAnnouncedEmpty_NextRequestWaitsForReset()
    {
        var time = new TimerCountingTimeProvider();
        var stub = new StubHandler(_ => Ok(("X-RateLimit-Bucket", "abc"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "2.000")));
        using var invoker = Pipeline(time, stub);

        (await invoker.SendAsync(Request(DiscordRoute.CreateMessage("1")), CancellationToken.None)).Dispose();
        var second = invoker.SendAsync(Request(DiscordRoute.CreateMessage("1")), CancellationToken.None);
        await WaitUntilAsync(() => time.TimersCreated >= 1);
        time.Advance(TimeSpan.FromSeconds(1.9));

        Assert.False(second.IsCompleted);
        Assert.Equal(1, stub.Count);

        time.Advance(TimeSpan.FromSeconds(0.2));
        (await second.WaitAsync(Patience)).Dispose();
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public async Task SendAsync_BucketEmptyForOtherChannel_DoesNotWait()
    {
        var time = new TimerCountingTimeProvider();
        var stub = new StubHandler(_ => Ok(("X-RateLimit-Bucket", "abc"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "5")));
        using var invoker = Pipeline(time, stub);

        (await invoker.SendAsync(Request(DiscordRoute.CreateMessage("1")), CancellationToken.None)).Dispose();
        (await invoker.SendAsync(Request(DiscordRoute.CreateMessage("2")), CancellationToken.None).WaitAsync(Patience)).Dispose();

        Assert.Equal(2, stub.Count);
        Assert.Equal(0, time.TimersCreated);
    }

    [Fact]
    public async Task SendAsync_Global429_PausesBotRoutesButNotInteractionCallbacks()
    {
        var time = new TimerCountingTimeProvider();
        var first = true;
        var stub = new StubHandler(_ =>
        {
            if (!first)
            {
                return Ok();
            }

            first = false;
            var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            {
                Content = new StringContent("""{"message":"You are being rate limited.","retry_after":1.5,"global":true}""", Encoding.UTF8, "application/json"),
            };
            limited.Headers.Add("X-RateLimit-Global", "true");
            return limited;
        });
        using var invoker = Pipeline(time, stub);

        var limitedRoute = invoker.SendAsync(Request(DiscordRoute.CreateMessage("1")), CancellationToken.None);
        await WaitUntilAsync(() => time.TimersCreated >= 1);
        var otherBotRoute = invoker.SendAsync(Request(DiscordRoute.GatewayBot()), CancellationToken.None);
        await WaitUntilAsync(() => time.TimersCreated >= 2);
        (await invoker.SendAsync(Request(DiscordRoute.CreateInteractionResponse("7", "token")), CancellationToken.None).WaitAsync(Patience)).Dispose();

        Assert.Equal(2, stub.Count);
        Assert.False(limitedRoute.IsCompleted);
        Assert.False(otherBotRoute.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1.6));
        (await limitedRoute.WaitAsync(Patience)).Dispose();
        (await otherBotRoute.WaitAsync(Patience)).Dispose();
        Assert.Equal(4, stub.Count);
    }

    [Fact]
    public async Task SendAsync_BurstAcrossChannels_StaysUnderGlobalLimitPerSecond()
    {
        var time = new TimerCountingTimeProvider();
        var stub = new StubHandler(_ => Ok());
        using var invoker = Pipeline(time, stub);

        var sends = Enumerable.Range(1, DiscordRateLimiter.DefaultGlobalRequestsPerSecond + 1)
            .Select(channel => invoker.SendAsync(Request(DiscordRoute.CreateMessage(channel.ToString(System.Globalization.CultureInfo.InvariantCulture))), CancellationToken.None))
            .ToList();
        await WaitUntilAsync(() => stub.Count == DiscordRateLimiter.DefaultGlobalRequestsPerSecond && time.TimersCreated >= 1);

        Assert.Equal(DiscordRateLimiter.DefaultGlobalRequestsPerSecond, stub.Count);

        time.Advance(TimeSpan.FromSeconds(1));
        foreach (var response in await Task.WhenAll(sends).WaitAsync(Patience))
        {
            response.Dispose();
        }

        Assert.Equal(DiscordRateLimiter.DefaultGlobalRequestsPerSecond + 1, stub.Count);
    }

    [Fact]
    public async Task SendAsync_Always429_GivesUpAfterBoundedRetries()
    {
        var stub = new StubHandler(_ => new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("""{"message":"slow down","retry_after":0.001,"global":false}""", Encoding.UTF8, "application/json"),
        });
        var time = new TimerCountingTimeProvider();
        using var invoker = Pipeline(time, stub);

        var sending = invoker.SendAsync(Request(DiscordRoute.CreateMessage("1")), CancellationToken.None);
        for (var retry = 1; retry <= DiscordRateLimiter.MaxRateLimitRetries; retry++)
        {
            // After each 429 the limiter waits out retry_after on the clock; the next attempt goes out only when it moves.
            await WaitUntilAsync(() => time.TimersCreated >= retry);
            Assert.Equal(retry, stub.Count);
            Assert.False(sending.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        using var response = await sending.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(DiscordRateLimiter.MaxRateLimitRetries + 1, stub.Count);
        // The last 429 is handed back at once, not waited out.
        Assert.Equal(DiscordRateLimiter.MaxRateLimitRetries, time.TimersCreated);
    }

    private static HttpMessageInvoker Pipeline(TimeProvider time, HttpMessageHandler inner) =>
        new(new DiscordRateLimitHandler(new DiscordRateLimiter(time, NullLogger<DiscordRateLimiter>.Instance)) { InnerHandler = inner });

    private static HttpRequestMessage Request(DiscordRoute route)
    {
        var request = new HttpRequestMessage(route.Method, new Uri(new Uri("http://127.0.0.1/api/v10/"), route.RelativePath));
        request.Options.Set(DiscordRoute.OptionsKey, route);
        return request;
    }

    private static HttpResponseMessage Ok(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        foreach (var (name, value) in headers)
        {
            response.Headers.Add(name, value);
        }

        return response;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(5);
        }
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(respond(request));
        }
    }

    /// <summary>Lets a test advance the clock only once the code under test is actually waiting on it.</summary>
    private sealed class TimerCountingTimeProvider : FakeTimeProvider
    {
        private int _timersCreated;

        public int TimersCreated => Volatile.Read(ref _timersCreated);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timersCreated);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
