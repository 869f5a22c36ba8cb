using System.Diagnostics;

namespace Bot.Tests.Shared;

/// <summary>Runs the built bot executable as a separate process, the way a user or CI would.</summary>
internal static class BotProcess
{
    /// <summary>Starts the bot with redirected streams; the caller drives and disposes it.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [BotDll(), .. arguments])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Each process gets its own database unless a test shares one on purpose.
        start.Environment["Storage__Path"] = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"), "bot.db");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bot {string.Join(' ', arguments)} did not exit; stderr so far:\n{stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The referenced host project is copied next to the tests, with its runtime config.</summary>
    private static string BotDll() => Path.Combine(AppContext.BaseDirectory, "bot.dll");
}
