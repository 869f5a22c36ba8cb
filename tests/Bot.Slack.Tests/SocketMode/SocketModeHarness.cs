using System.Diagnostics;
using System.Text.Json.Nodes;
using Bot.Adapters.Connections;
using Bot.Slack.SocketMode;
using Bot.Slack.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>A fake Slack and a Socket Mode client connected to it, with fast backoff and short close waits.</summary>
internal sealed class SocketModeHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private bool _stopped;

    private SocketModeHarness(FakeSlack fake, SocketModeClient client, FakeSlackUrlSource urls, ConnectionStatus status,
        RecordingSocketModeHandler handler, LogRecorder<SocketModeClient> logs)
    {
        Fake = fake;
        Client = client;
        Urls = urls;
        Status = status;
        Handler = handler;
        Logs = logs;
    }

    public FakeSlack Fake { get; }

    public FakeSocketMode Socket => Fake.SocketMode;

    public SocketModeClient Client { get; }

    public FakeSlackUrlSource Urls { get; }

    public ConnectionStatus Status { get; }

    public RecordingSocketModeHandler Handler { get; }

    public LogRecorder<SocketModeClient> Logs { get; }

    /// <param name="time">
    /// The clock of both the client and the fake Slack (whose ack deadlines and redeliveries follow it); the system
    /// clock unless a test drives it.
    /// </param>
    public static async Task<SocketModeHarness> CreateAsync(string appToken = FakeSlack.AppToken, TimeProvider? time = null)
    {
        await WarmUp.Value;
        return await CreateColdAsync(appToken, time ?? TimeProvider.System);
    }

    // The first connection of a test process spends hundreds of milliseconds compiling the WebSocket, HTTP and JSON
    // paths; one unhurried round trip first keeps that out of the timed tests.
    private static readonly Lazy<Task> WarmUp = new(async () =>
    {
        // The test host parks thread-pool threads; on a two-core machine bursts of socket work then wait for the pool.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
        await using var harness = await CreateColdAsync(FakeSlack.AppToken, TimeProvider.System);
        await harness.StartAndWaitForReadyAsync();
        var id = await harness.SendNumberedAsync(0);
        await harness.Socket.WaitForAckAsync(id, Timeout);
    });

    private static async Task<SocketModeHarness> CreateColdAsync(string appToken, TimeProvider time)
    {
        var fake = await FakeSlack.StartAsync(time);
        var urls = new FakeSlackUrlSource(fake.ApiBaseUrl, appToken);
        var status = new ConnectionStatus();
        var handler = new RecordingSocketModeHandler();
        var logs = new LogRecorder<SocketModeClient>();
        var client = new SocketModeClient(urls, handler, status, time, logs)
        {
            Reconnect =
            {
                BackoffBase = TimeSpan.FromMilliseconds(20),
                BackoffMax = TimeSpan.FromMilliseconds(200),
                CloseTimeout = TimeSpan.FromSeconds(1),
            },
            HelloTimeout = TimeSpan.FromSeconds(2),
        };
        return new SocketModeHarness(fake, client, urls, status, handler, logs);
    }

    public async Task StartAsync() => await Client.StartAsync(CancellationToken.None);

    public async Task StartAndWaitForReadyAsync()
    {
        await StartAsync();
        await Socket.WaitForConnectionAsync(Timeout);
        await WaitUntilAsync(() => Status.Current.State == ConnectionState.Ready, "status Ready");
    }

    /// <summary>Sends an envelope whose payload is <c>{"n": number}</c>; the default handler answers <c>{"text":"n=…"}</c>.</summary>
    public Task<string> SendNumberedAsync(int number, string type = "slash_commands", bool acceptsResponsePayload = true) =>
        Socket.SendEnvelopeAsync(type, new JsonObject { ["n"] = number }, acceptsResponsePayload);

    /// <summary>How many times the handler saw each number.</summary>
    public Dictionary<int, int> HandledNumbers() =>
        Handler.Handled.GroupBy(envelope => JsonPayloads.Number(envelope.Payload)).ToDictionary(group => group.Key, group => group.Count());

    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > (timeout ?? Timeout))
            {
                throw new TimeoutException($"Waited for {what}. Status: {Status.Current}. Handled: {Handler.Handled.Count}.\n{Fake.DescribeState()}\nClient log:\n{DescribeLog()}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Waits for the client's run to end (its <see cref="Microsoft.Extensions.Hosting.BackgroundService.ExecuteTask"/>
    /// completes): after that it can open no more connections, however long a test waited or a clock moved.
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
            throw new TimeoutException($"The client still runs {Timeout} later. Status: {Status.Current}.\n{Fake.DescribeState()}\nClient log:\n{DescribeLog()}");
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

    /// <summary>No fake-side problems, no error logs, and neither the app token nor a socket URL (it carries a ticket) in any log.</summary>
    public void AssertHealthy(Func<string, bool>? expectedProblem = null)
    {
        var problems = Fake.Problems.Where(problem => expectedProblem is null || !expectedProblem(problem)).ToList();
        Assert.True(problems.Count == 0, $"{string.Join("\n", problems)}\n{Fake.DescribeState()}\nClient log:\n{DescribeLog()}");
        Assert.DoesNotContain(Logs.Entries, entry => entry.Level >= LogLevel.Error);
        AssertNoSecretsLogged();
    }

    public void AssertNoSecretsLogged()
    {
        foreach (var entry in Logs.Entries)
        {
            var text = entry.Message + entry.Exception;
            Assert.DoesNotContain(FakeSlack.AppToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain("ws://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/socket/", text, StringComparison.Ordinal);
        }
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
            Urls.Dispose();
            await Fake.DisposeAsync();
        }
    }
}
