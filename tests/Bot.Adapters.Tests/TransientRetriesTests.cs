using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Adapters.Tests;

/// <summary>
/// The retries every platform client shares, driven by a fake clock: a test moves time on and sees a
/// retry go out, instead of waiting on the wall clock to prove that nothing happened.
/// </summary>
public sealed class TransientRetriesTests : IAsyncLifetime, IDisposable
{
    private const string SecretPath = "webhooks/1/the-secret-token/messages";

    private readonly FakeTimeProvider _time = new();
    private readonly ListLoggerProvider _logs = new();
    private readonly StubHandler _platform = new();
    private ServiceProvider? _services;

    [Fact]
    public async Task ServerError_IsRetriedOnlyWhenTimeHasPassed_ThenTheAnswerIsReturned()
    {
        _platform.Answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        _platform.Answers.Enqueue(HttpStatusCode.OK);
        var client = Client(new TransientRetryOptions { FirstDelay = TimeSpan.FromSeconds(30) });

        var sending = client.GetAsync(SecretPath);
        await _platform.WaitForAsync(1);
        var waited = Stopwatch.StartNew();
        Assert.False(sending.IsCompleted);
        Assert.Equal(1, _platform.Count);

        await AdvanceUntilAsync(TimeSpan.FromMinutes(5), () => sending.IsCompleted);
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _platform.Count);
        Assert.Same(_platform.Requests[0], _platform.Requests[1]);
        var retry = Assert.Single(_logs.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Contains("Test answered 503 to the described request; retry 1 in", retry.Message, StringComparison.Ordinal);
        Assert.True(waited.Elapsed.TotalMilliseconds < (double)retry.Properties["DelayMs"]!, "the retry waited on the fake clock, not the wall clock");
        Assert.DoesNotContain(_logs.Entries, entry => (entry.Message + entry.Values + entry.Exception).Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServerErrorEveryTime_IsRetriedMaxRetriesTimes_ThenTheLastAnswerIsReturned()
    {
        for (var answer = 0; answer < 10; answer++)
        {
            _platform.Answers.Enqueue(HttpStatusCode.InternalServerError);
        }

        var client = Client(new TransientRetryOptions { MaxRetries = 2 });

        var sending = client.GetAsync(SecretPath);
        await _platform.WaitForAsync(1);
        await AdvanceUntilAsync(TimeSpan.FromMinutes(1), () => sending.IsCompleted);

        using var response = await sending;
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(3, _platform.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task ClientErrorOrRateLimit_IsAnsweredAtOnceWithoutRetry(HttpStatusCode status)
    {
        _platform.Answers.Enqueue(status);

        using var response = await Client(new TransientRetryOptions()).GetAsync(SecretPath).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, _platform.Count);
        Assert.DoesNotContain(_logs.Entries, entry => entry.Level >= LogLevel.Information);
    }

    [Fact]
    public async Task NetworkFailure_IsRetriedAndLoggedByTypeNotByText()
    {
        _platform.Failures.Enqueue(new HttpRequestException("connection reset at the-secret-token"));
        _platform.Answers.Enqueue(HttpStatusCode.OK);
        var client = Client(new TransientRetryOptions());

        var sending = client.GetAsync(SecretPath);
        await _platform.WaitForAsync(1);
        await AdvanceUntilAsync(TimeSpan.FromMinutes(1), () => sending.IsCompleted);
        using var response = await sending;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var retry = Assert.Single(_logs.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Contains("failed with HttpRequestException", retry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, entry => (entry.Message + entry.Values + entry.Exception).Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallerGivingUp_IsNotRetried()
    {
        _platform.Answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        using var giveUp = new CancellationTokenSource();
        var client = Client(new TransientRetryOptions());

        var sending = client.GetAsync(SecretPath, giveUp.Token);
        await _platform.WaitForAsync(1);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, _platform.Count);
    }

    [Fact]
    public async Task NoRetries_SendsEachRequestOnce()
    {
        _platform.Answers.Enqueue(HttpStatusCode.BadGateway);

        using var response = await Client(new TransientRetryOptions { MaxRetries = 0 }).GetAsync(SecretPath).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, _platform.Count);
    }

    [Fact]
    public async Task PollysOwnLogLines_AreNotWritten()
    {
        _platform.Answers.Enqueue(HttpStatusCode.ServiceUnavailable);
        _platform.Answers.Enqueue(HttpStatusCode.OK);
        var client = Client(new TransientRetryOptions());

        var sending = client.GetAsync(SecretPath);
        await _platform.WaitForAsync(1);
        await AdvanceUntilAsync(TimeSpan.FromMinutes(1), () => sending.IsCompleted);
        (await sending).Dispose();

        Assert.Equal([typeof(TransientRetries).FullName], _logs.Entries.Select(entry => entry.Category).Distinct());
    }

    [Theory]
    [InlineData(-1, 200, "Test:Retry:MaxRetries must be from 0 to 10 (got -1).")]
    [InlineData(11, 200, "Test:Retry:MaxRetries must be from 0 to 10 (got 11).")]
    [InlineData(3, 0, "Test:Retry:FirstDelay must be from 00:00:00.001 to 00:00:30, e.g. 00:00:00.200 (got 00:00:00).")]
    [InlineData(3, 60_000, "Test:Retry:FirstDelay must be from 00:00:00.001 to 00:00:30, e.g. 00:00:00.200 (got 00:01:00).")]
    public void Problems_NameTheKeyAndTheRange(int maxRetries, int firstDelayMs, string expected) =>
        Assert.Equal([expected], new TransientRetryOptions { MaxRetries = maxRetries, FirstDelay = TimeSpan.FromMilliseconds(firstDelayMs) }.Problems("Test:Retry"));

    [Fact]
    public void Problems_OfTheDefaults_AreNone() => Assert.Empty(new TransientRetryOptions().Problems("Test:Retry"));

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _platform.Dispose();
        _logs.Dispose();
    }

    /// <summary>
    /// Polly waits, on the pipeline's own clock, for executions still winding down when it is disposed (a
    /// cancelled request's retry); with a fake clock that wait ends only when the test moves the clock.
    /// </summary>
    public async Task DisposeAsync()
    {
        if (_services is null)
        {
            return;
        }

        var disposing = _services.DisposeAsync().AsTask();
        for (var step = 0; step < 600 && !disposing.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(disposing, Task.Delay(10));
        }

        await disposing.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="step"/> until <paramref name="done"/>. The retry's delay starts a
    /// moment after the failed attempt reaches the platform, so a single move made as soon as the attempt arrives
    /// could come before the delay's timer exists, and the retry would then wait for good.
    /// </summary>
    private async Task AdvanceUntilAsync(TimeSpan step, Func<bool> done)
    {
        var patience = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(patience.Elapsed < TimeSpan.FromSeconds(10), "the retries never ended");
            _time.Advance(step);
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }

    private HttpClient Client(TransientRetryOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging(logging => logging.AddProvider(_logs));
        services.AddHttpClient("platform", http => http.BaseAddress = new Uri("http://platform.test/"))
            .AddTransientRetries("Test", _ => options, _ => "the described request")
            .ConfigurePrimaryHttpMessageHandler(() => _platform)
            .RemoveAllLoggers();
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IHttpClientFactory>().CreateClient("platform");
    }

    /// <summary>Plays the platform: answers each request with the next failure or status, and says when each arrives.</summary>
    private sealed class StubHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<HttpRequestMessage> _requests = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public ConcurrentQueue<HttpStatusCode> Answers { get; } = new();

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public HttpRequestMessage[] Requests => [.. _requests];

        public int Count => _requests.Count;

        public async Task WaitForAsync(int count)
        {
            while (Count < count)
            {
                Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(10)), $"request {count} never arrived");
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            _requests.Enqueue(request);
            _arrived.Release();
            if (Failures.TryDequeue(out var failure))
            {
                return Task.FromException<HttpResponseMessage>(failure);
            }

            return Task.FromResult(new HttpResponseMessage(Answers.TryDequeue(out var status) ? status : HttpStatusCode.OK) { RequestMessage = request });
        }
    }
}
