using System.Diagnostics;
using System.Globalization;
using Bot.Slack.Tests.Fakes;

namespace Bot.Benchmarks;

/// <summary>
/// <c>socket-latency</c>: a published <c>bot serve</c> (or, with <c>--peer</c>, the Bolt app of bench/slack in Socket
/// Mode) against the loopback fake of Slack (Web API and Socket Mode), fed <c>slash_commands</c> envelopes of
/// <c>/explain closures</c> one at a time. Each sample is the time from just before the fake sends the envelope to
/// the moment it reads the client's ack, both read from one monotonic clock; the ack must carry the answer.
/// </summary>
internal static class SocketModeLatency
{
    private const string PeerAnswer = "A closure is";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var botDll = Option(args, "--bot");
        var peerDirectory = Option(args, "--peer");
        var count = int.Parse(Option(args, "--count") ?? "500", CultureInfo.InvariantCulture);
        var warmup = int.Parse(Option(args, "--warmup") ?? "50", CultureInfo.InvariantCulture);
        if ((botDll is null) == (peerDirectory is null)
            || (botDll is not null && !File.Exists(botDll))
            || (peerDirectory is not null && !File.Exists(Path.Combine(peerDirectory, "peer-app.js"))))
        {
            await Console.Error.WriteLineAsync("pass --bot <path to a published bot.dll> or --peer <folder with peer-app.js>");
            return 2;
        }

        var clock = new GatewayLatency.MonotonicTimeProvider();
        await using var slack = await FakeSlack.StartAsync(clock);
        var storage = Path.Combine(Path.GetTempPath(), "bot-socket-latency-" + Guid.NewGuid().ToString("N"));
        using var client = botDll is not null ? StartBot(botDll, slack, storage) : StartPeer(peerDirectory!, slack);
        var log = new GatewayLatency.BoundedLog(200);
        client.OutputDataReceived += (_, line) => log.Add(line.Data);
        client.ErrorDataReceived += (_, line) => log.Add(line.Data);
        client.BeginOutputReadLine();
        client.BeginErrorReadLine();
        try
        {
            await slack.SocketMode.WaitForConnectionAsync(Patience);
            var isBot = botDll is not null;
            for (var index = 0; index < warmup; index++)
            {
                await MeasureOneAsync(slack, isBot);
            }

            var samples = new double[count];
            for (var index = 0; index < count; index++)
            {
                samples[index] = await MeasureOneAsync(slack, isBot);
            }

            if (slack.Problems.Count > 0)
            {
                await Console.Error.WriteLineAsync("The fake recorded protocol problems:\n  " + string.Join("\n  ", slack.Problems));
                return 1;
            }

            Array.Sort(samples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT {{\"count\":{count},\"p50_us\":{Percentile(samples, 50):0},\"p99_us\":{Percentile(samples, 99):0},\"mean_us\":{samples.Average():0},\"max_us\":{samples[^1]:0}}}"));
            return 0;
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"socket-latency failed: {exception.Message}\n--- client log (last lines) ---\n{log}");
            return 1;
        }
        finally
        {
            if (!client.HasExited)
            {
                client.Kill(entireProcessTree: true);
                await client.WaitForExitAsync();
            }

            if (Directory.Exists(storage))
            {
                Directory.Delete(storage, recursive: true);
            }
        }
    }

    /// <summary>Sends one envelope and returns microseconds from sending to the ack the fake read.</summary>
    private static async Task<double> MeasureOneAsync(FakeSlack slack, bool isBot)
    {
        var payload = SlackPayloads.SlashCommandJson("/explain", "closures", slack.NewResponseUrl(SlackPayloads.DefaultChannelId));
        var sentAt = slack.Now;
        var envelopeId = await slack.SocketMode.SendEnvelopeAsync("slash_commands", payload);
        var ack = await slack.SocketMode.WaitForAckAsync(envelopeId, Patience);
        var answer = ack.Payload?.ToJsonString() ?? "";
        var expected = isBot
            ? ack.Payload?["blocks"]?[0]?["text"]?["text"]?.GetValue<string>() == "Closures"
            : ack.Payload?["text"]?.GetValue<string>()?.StartsWith(PeerAnswer, StringComparison.Ordinal) == true;
        if (!expected || ack.Late)
        {
            throw new InvalidDataException($"Unexpected ack of /explain closures (late: {ack.Late}): {answer[..Math.Min(300, answer.Length)]}");
        }

        return (ack.At - sentAt).TotalMicroseconds;
    }

    private static Process StartBot(string botDll, FakeSlack slack, string storage)
    {
        var start = new ProcessStartInfo("dotnet", [botDll, "serve", "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = RepoPaths.Root,
        };
        start.Environment["Slack__AppToken"] = FakeSlack.AppToken;
        start.Environment["Slack__BotToken"] = FakeSlack.BotToken;
        start.Environment["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
        start.Environment["Content__Watch"] = "false";
        start.Environment["Storage__Path"] = Path.Combine(storage, "bot.db");
        return Start(start);
    }

    private static Process StartPeer(string peerDirectory, FakeSlack slack)
    {
        var start = new ProcessStartInfo("node", ["peer-app.js"]) { WorkingDirectory = peerDirectory };
        start.Environment["SOCKET_MODE"] = "1";
        start.Environment["SLACK_APP_TOKEN"] = FakeSlack.AppToken;
        start.Environment["SLACK_BOT_TOKEN"] = FakeSlack.BotToken;
        start.Environment["SLACK_API_URL"] = slack.ApiBaseUrl.ToString();
        return Start(start);
    }

    private static Process Start(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
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
}
