using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;

namespace Bot.Benchmarks;

/// <summary>
/// <c>gateway-latency</c>: a published <c>bot serve</c> in gateway mode against the loopback fakes of Discord
/// (REST and gateway), fed <c>/explain closures</c> interactions one at a time. Each sample is the time from
/// just before the fake gateway sends <c>INTERACTION_CREATE</c> to the moment the fake REST API accepts the
/// bot's initial-response callback, both read from one monotonic clock.
/// </summary>
internal static class GatewayLatency
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var botDll = Option(args, "--bot") ?? Path.Combine(AppContext.BaseDirectory, "bot.dll");
        var count = int.Parse(Option(args, "--count") ?? "500", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Option(args, "--warmup") ?? "50", CultureInfo.InvariantCulture);
        if (!File.Exists(botDll))
        {
            await Console.Error.WriteLineAsync($"bot.dll not found at {botDll}; pass --bot <path to a published bot.dll>");
            return 2;
        }

        var clock = new MonotonicTimeProvider();
        await using var discord = await FakeDiscord.StartAsync(clock);
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayOptions());
        discord.GatewayUrl = gateway.Url;
        var storage = Path.Combine(Path.GetTempPath(), "bot-gateway-latency-" + Guid.NewGuid().ToString("N"));
        using var bot = StartBot(botDll, discord, storage);
        var log = new BoundedLog(200);
        bot.OutputDataReceived += (_, line) => log.Add(line.Data);
        bot.ErrorDataReceived += (_, line) => log.Add(line.Data);
        bot.BeginOutputReadLine();
        bot.BeginErrorReadLine();
        try
        {
            await gateway.WaitForSessionAsync(Patience);
            for (var index = 0; index < warmup; index++)
            {
                await MeasureOneAsync(discord, gateway, clock);
            }

            var samples = new double[count];
            for (var index = 0; index < count; index++)
            {
                samples[index] = await MeasureOneAsync(discord, gateway, clock);
            }

            var problems = discord.Problems.Concat(gateway.Problems).ToList();
            if (problems.Count > 0)
            {
                await Console.Error.WriteLineAsync("The fakes recorded protocol problems:\n  " + string.Join("\n  ", problems));
                return 1;
            }

            Array.Sort(samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT {{\"count\":{count},\"p50_us\":{Percentile(samples, 50):0},\"p99_us\":{Percentile(samples, 99):0},\"mean_us\":{samples.Average():0},\"max_us\":{samples[^1]:0}}}"));
            return 0;
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"gateway-latency failed: {exception.Message}\n--- bot log (last lines) ---\n{log}");
            return 1;
        }
        finally
        {
            if (!bot.HasExited)
            {
                bot.Kill(entireProcessTree: true);
                await bot.WaitForExitAsync();
            }

            if (Directory.Exists(storage))
            {
                Directory.Delete(storage, recursive: true);
            }
        }
    }

    /// <summary>Dispatches one interaction and returns microseconds from dispatch to the accepted callback.</summary>
    private static async Task<double> MeasureOneAsync(FakeDiscord discord, FakeGateway gateway, TimeProvider clock)
    {
        var interaction = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
        var dispatchedAt = clock.GetUtcNow();
        await gateway.DispatchAsync("INTERACTION_CREATE", interaction.Payload);
        await discord.WaitForInitialResponseAsync(interaction.Id, Patience);
        var answer = interaction.InitialResponse!;
        var title = answer["data"]?["embeds"]?[0]?["title"]?.GetValue<string>();
        if (interaction.InitialVia != "callback" || answer["type"]?.GetValue<int>() != 4 || title != "Closures")
        {
            throw new InvalidDataException($"Unexpected answer to /explain closures via {interaction.InitialVia}: {answer.ToJsonString()[..Math.Min(300, answer.ToJsonString().Length)]}");
        }

        return (interaction.InitialResponseAt!.Value - dispatchedAt).TotalMicroseconds;
    }

    private static Process StartBot(string botDll, FakeDiscord discord, string storage)
    {
        var start = new ProcessStartInfo("dotnet", [botDll, "serve", "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Discord__BotToken"] = FakeDiscord.BotToken;
        start.Environment["Discord__ApplicationId"] = FakeDiscord.ApplicationId;
        start.Environment["Discord__ApiBaseUrl"] = discord.ApiBaseUrl.ToString();
        start.Environment["Discord__Transport"] = "Gateway";
        start.Environment["Content__Watch"] = "false";
        start.Environment["Storage__Path"] = Path.Combine(storage, "bot.db");
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    private static double Percentile(double[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>Wall-clock start plus a Stopwatch, so that two readings differ by exact elapsed time.</summary>
    internal sealed class MonotonicTimeProvider : TimeProvider
    {
        private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
        private readonly long _originTicks = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _origin + Stopwatch.GetElapsedTime(_originTicks);
    }

    /// <summary>The last lines the bot wrote, for a failure message.</summary>
    internal sealed class BoundedLog(int capacity)
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                if (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }
    }
}
