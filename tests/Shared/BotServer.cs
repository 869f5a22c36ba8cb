using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Tests.Shared;

/// <summary>A real <c>bot serve</c> process on a free loopback port, configured the way an operator would, by environment.</summary>
internal sealed partial class BotServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BotServer(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, line) => OnLogLine(line.Data);
        _process.OutputDataReceived += (_, line) => OnLogLine(line.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public int ProcessId => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static Task<BotServer> StartAsync(IReadOnlyDictionary<string, string> environment) =>
        StartAsync(["serve", "--urls", "http://127.0.0.1:0"], environment);

    /// <summary>Runs <c>bot</c> with no verb, as the Docker image does; the environment must set the address (ASPNETCORE_URLS).</summary>
    public static Task<BotServer> StartWithoutVerbAsync(IReadOnlyDictionary<string, string> environment) => StartAsync([], environment);

    private static async Task<BotServer> StartAsync(string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var server = new BotServer(BotProcess.Start(arguments, environment));
        server._process.StandardInput.Close();
        var exited = server._process.WaitForExitAsync();
        var listening = server._listening.Task;
        if (await Task.WhenAny(listening, exited, Task.Delay(TimeSpan.FromSeconds(60))) != listening)
        {
            var log = server.Log;
            await server.DisposeAsync();
            throw new InvalidOperationException("bot serve did not start listening:\n" + log);
        }

        server.BaseUrl = await listening;
        return server;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        string last = "";
        while (deadline.Elapsed < timeout)
        {
            using var response = await Http.GetAsync(new Uri(BaseUrl, "/readyz"));
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"/readyz never became 200; last answer: {last}\nlog:\n{Log}");
    }

    /// <summary>Sends SIGTERM, as Docker does, and returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Assert.Equal(0, PosixSignals.Terminate(_process.Id));
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
    }

    private void OnLogLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }
    }

    [GeneratedRegex(@"Listening on (?<url>http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
