using System.Diagnostics;
using System.Text.Json;
using Bot.Adapters.Connections;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Gateway;

/// <summary>Answers <c>GET /gateway/bot</c> with the fake's URL; later answers can be queued to change the limit.</summary>
internal sealed class StubGatewayUrlSource(Uri url, int maxConcurrency) : IGatewayUrlSource
{
    private readonly Queue<SessionStartLimit> _limits = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Enqueue(SessionStartLimit limit)
    {
        lock (_limits)
        {
            _limits.Enqueue(limit);
        }
    }

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        SessionStartLimit limit;
        lock (_limits)
        {
            limit = _limits.Count > 0 ? _limits.Dequeue() : new SessionStartLimit(1000, 1000, 86_400_000, maxConcurrency);
        }

        return Task.FromResult(new GatewayBotInfo(url.ToString(), 1, limit));
    }
}

/// <summary>Records every dispatch; test events carry their own number in <c>d.n</c>.</summary>
internal sealed class RecordingDispatchHandler : IGatewayDispatchHandler
{
    public const string TestEvent = "TEST_EVENT";

    private readonly List<string> _events = [];
    private readonly List<int> _numbers = [];

    public IReadOnlyList<string> Events
    {
        get { lock (_events) { return [.. _events]; } }
    }

    public IReadOnlyList<int> Numbers
    {
        get { lock (_events) { return [.. _numbers]; } }
    }

    public ValueTask OnDispatchAsync(string eventName, JsonElement data, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add(eventName);
            if (eventName == TestEvent)
            {
                _numbers.Add(data.GetProperty("n").GetInt32());
            }
        }

        return ValueTask.CompletedTask;
    }
}

internal sealed record LogEntry(LogLevel Level, string Message, Exception? Exception)
{
    public DateTime At { get; } = DateTime.UtcNow;
}

internal sealed class GatewayLogRecorder<T> : ILogger<T>
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_entries) { return [.. _entries]; } }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
        }
    }
}

/// <summary>
/// A fake gateway and a client connected to it, with fast backoff and short invalid-session waits. Both run on one fake
/// clock that only the test moves, so heartbeats and identify spacing are judged exactly, however busy the machine is.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    public const string Token = "fake-discord-bot-token";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private bool _stopped;

    private GatewayHarness(FakeGateway fake, GatewayClient client, StubGatewayUrlSource urls, ConnectionStatus status,
        RecordingDispatchHandler handler, GatewayLogRecorder<GatewayClient> logs, TimeProvider time)
    {
        Fake = fake;
        Client = client;
        Urls = urls;
        Status = status;
        Handler = handler;
        Logs = logs;
        Time = time;
    }

    /// <summary>What the fake announces and checks unless a test says otherwise: a 45 s heartbeat interval, one identify per 5 s.</summary>
    public static FakeGatewayOptions DefaultOptions => new() { ExpectedToken = Token };

    public static TimeSpan HeartbeatInterval => TimeSpan.FromMilliseconds(DefaultOptions.HeartbeatIntervalMs);

    public FakeGateway Fake { get; }

    public GatewayClient Client { get; }

    public StubGatewayUrlSource Urls { get; }

    public ConnectionStatus Status { get; }

    public RecordingDispatchHandler Handler { get; }

    public GatewayLogRecorder<GatewayClient> Logs { get; }

    /// <summary>The clock of both the client and the fake gateway.</summary>
    public TimeProvider Time { get; }

    /// <param name="maxConcurrency">Identify spacing is 5 s divided by this.</param>
    /// <param name="time">
    /// The clock of both the client and the fake gateway; a fake clock that never moves unless the test passes one it drives.
    /// </param>
    public static async Task<GatewayHarness> CreateAsync(
        FakeGatewayOptions? fakeOptions = null, int maxConcurrency = 1, Action<DiscordOptions>? configure = null, string token = Token,
        TimeProvider? time = null)
    {
        await WarmUp.Value;
        return await CreateColdAsync(fakeOptions ?? DefaultOptions, maxConcurrency, configure, token, time ?? new FakeTimeProvider());
    }

    // The first connection of a test process spends hundreds of milliseconds compiling the WebSocket and JSON
    // paths; one unhurried session on the system clock first keeps that out of the tests' timeouts.
    private static readonly Lazy<Task> WarmUp = new(async () =>
    {
        // The test host parks two thread-pool threads for good, which on a two-core machine is the pool's whole
        // minimum; bursts of socket work then wait up to a second for the pool to add threads. A production host
        // does not block pool threads, so give the tests headroom.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
        await using var harness = await CreateColdAsync(DefaultOptions, 1, null, Token, TimeProvider.System);
        await harness.StartAndWaitForSessionAsync();
        await harness.DispatchNumberedAsync(0);
        await harness.WaitForNumbersAsync(1);
        await harness.Fake.RequestHeartbeatAsync();
        await harness.Fake.WaitForAsync(fake => fake.Heartbeats > 0, Timeout);
    });

    private static async Task<GatewayHarness> CreateColdAsync(
        FakeGatewayOptions fakeOptions, int maxConcurrency, Action<DiscordOptions>? configure, string token, TimeProvider time)
    {
        var fake = await FakeGateway.StartAsync(fakeOptions, time);
        var options = new DiscordOptions { BotToken = token };
        configure?.Invoke(options);
        var urls = new StubGatewayUrlSource(fake.Url, maxConcurrency);
        var status = new ConnectionStatus();
        var handler = new RecordingDispatchHandler();
        var logs = new GatewayLogRecorder<GatewayClient>();
        var client = new GatewayClient(Options.Create(options), urls, handler, status, time, logs)
        {
            Reconnect =
            {
                BackoffBase = TimeSpan.FromMilliseconds(20),
                BackoffMax = TimeSpan.FromMilliseconds(200),
                CloseTimeout = TimeSpan.FromSeconds(1),
            },
            InvalidSessionDelayMin = TimeSpan.FromMilliseconds(100),
            InvalidSessionDelayMax = TimeSpan.FromMilliseconds(150),
        };
        return new GatewayHarness(fake, client, urls, status, handler, logs, time);
    }

    public async Task StartAsync() => await Client.StartAsync(CancellationToken.None);

    public async Task StartAndWaitForSessionAsync()
    {
        await StartAsync();
        await Fake.WaitForSessionAsync(Timeout);
        await WaitUntilAsync(() => Status.Current.State == ConnectionState.Ready, "status Ready");
    }

    /// <summary>Dispatches a numbered test event; the handler records the number.</summary>
    public Task<int> DispatchNumberedAsync(int number) =>
        Fake.DispatchAsync(RecordingDispatchHandler.TestEvent, new System.Text.Json.Nodes.JsonObject { ["n"] = number });

    public Task WaitForNumbersAsync(int count) =>
        WaitUntilAsync(() => Handler.Numbers.Count >= count, $"{count} test events handled");

    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > (timeout ?? Timeout))
            {
                throw new TimeoutException($"Waited for {what}. Status: {Status.Current}. Handled: {Handler.Numbers.Count}. {Fake.Describe()}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Waits for the client's run to end (its <see cref="Microsoft.Extensions.Hosting.BackgroundService.ExecuteTask"/>
    /// completes): after that it can connect no more, however long a test waited or a clock moved.
    /// </summary>
    public async Task WaitForClientToEndAsync()
    {
        var run = Client.ExecuteTask ?? throw new InvalidOperationException("The client was not started.");
        try
        {
            await run.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The client still runs {Timeout} later. Status: {Status.Current}. {Fake.Describe()}\nClient log:\n{DescribeLog()}");
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var deadline = new CancellationTokenSource(Timeout);
        await Client.StopAsync(deadline.Token);
    }

    public string DescribeLog() =>
        string.Join("\n", Logs.Entries.Select(entry => $"{entry.At:HH:mm:ss.fff} {entry.Level}: {entry.Message}"));

    public void AssertHealthy()
    {
        Assert.True(Fake.Problems.Count == 0, $"{Fake.Describe()}\nClient log:\n{DescribeLog()}");
        Assert.DoesNotContain(Logs.Entries, entry => entry.Level >= LogLevel.Error);
        Assert.DoesNotContain(Logs.Entries, entry => entry.Message.Contains(Token, StringComparison.Ordinal)
            || (entry.Exception?.ToString().Contains(Token, StringComparison.Ordinal) ?? false));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Client.Dispose();
            await Fake.DisposeAsync();
        }
    }
}
