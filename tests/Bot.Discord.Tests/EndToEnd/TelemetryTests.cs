using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Discord.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary>The operator's view: /metrics on a listener of its own, and metrics and traces pushed over OTLP.</summary>
public sealed partial class TelemetryTests
{
    /// <summary>With Metrics:Urls the scrape endpoint moves to its own port, serves only /metrics there, and leaves the app port.</summary>
    [Fact]
    public async Task MetricsUrls_ServeMetricsOnTheirOwnListenerOnly()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var signer = new InteractionSigner();
        var environment = DiscordServe.Environment(discord, "Http", signer);
        environment["Metrics__Urls"] = "http://127.0.0.1:0";
        await using var server = await BotServer.StartAsync(environment);
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        var metricsBase = new Uri(MetricsAddress().Match(server.Log) is { Success: true } match ? match.Groups["url"].Value : throw new InvalidOperationException("no metrics address in the log:\n" + server.Log));
        var explain = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
        using (var answered = await signer.SendAndRecordAsync(discord, server.Http, server.InteractionsUrl(), explain))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        var metrics = "";
        for (var attempt = 0; attempt < 40 && !metrics.Contains("tutor_commands_total", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            metrics = await server.Http.GetStringAsync(new Uri(metricsBase, "/metrics"));
        }

        using var onAppPort = await server.Http.GetAsync(new Uri(server.BaseUrl, "/metrics"));
        using var interactionsOnMetricsPort = await server.Http.PostAsync(new Uri(metricsBase, "/discord/interactions"), new StringContent("{}"));
        using var readyOnMetricsPort = await server.Http.GetAsync(new Uri(metricsBase, "/readyz"));
        Assert.NotEqual(metricsBase.Port, server.BaseUrl.Port);
        Assert.Contains("tutor_commands_total{", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, onAppPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, interactionsOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, readyOnMetricsPort.StatusCode);
    }

    [Fact]
    public async Task MetricsUrls_NotAnAddress_StopsTheStartNamingTheKey()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Metrics__Urls"] = "9464",
            ["Content__Watch"] = "false",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("Metrics:Urls has '9464'", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// With OTEL_EXPORTER_OTLP_ENDPOINT set, a collector receives the bot's metrics and a trace of the
    /// interaction (the request, the command, and the calls to Discord), and nothing secret: no token in any of it.
    /// </summary>
    [Fact]
    public async Task Otlp_ExportsMetricsAndTracesWithoutSecrets()
    {
        await using var collector = await FakeCollector.StartAsync();
        await using var discord = await FakeDiscord.StartAsync();
        var signer = new InteractionSigner();
        var environment = DiscordServe.Environment(discord, "Http", signer);
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address.ToString();
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        await using var server = await BotServer.StartAsync(environment);
        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
        var explain = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")], userId: "900000000000000078"));
        using (var answered = await signer.SendAndRecordAsync(discord, server.Http, server.InteractionsUrl(), explain))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        for (var attempt = 0; attempt < 80 && !(collector.Received("/v1/traces").Contains("tutor.command", StringComparison.Ordinal)
            && collector.Received("/v1/traces").Contains("/discord/interactions", StringComparison.Ordinal)
            && collector.Received("/v1/metrics").Contains("tutor.commands", StringComparison.Ordinal)); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        var traces = collector.Received("/v1/traces");
        var exported = traces + collector.Received("/v1/metrics");
        Assert.Contains("tutor-bot", exported, StringComparison.Ordinal);
        Assert.Contains("tutor.commands", collector.Received("/v1/metrics"), StringComparison.Ordinal);
        // The command's span, named for the command, under the request's span.
        Assert.Contains("tutor.command", traces, StringComparison.Ordinal);
        Assert.Contains("explain", traces, StringComparison.Ordinal);
        Assert.Contains("/discord/interactions", traces, StringComparison.Ordinal);
        // The command registration at start, named by its route template.
        Assert.Contains("PUT /applications/{application_id}/commands", traces, StringComparison.Ordinal);
        Assert.DoesNotContain(explain.Token, exported, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeDiscord.BotToken, exported, StringComparison.Ordinal);
        Assert.DoesNotContain("900000000000000078", exported, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Metrics served at (?<url>http://[^\s,]+)")]
    private static partial Regex MetricsAddress();

    /// <summary>An OTLP/HTTP collector on loopback that keeps what it receives, per path, as text (protobuf keeps strings as UTF-8).</summary>
    private sealed class FakeCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Dictionary<string, StringBuilder> _received = new(StringComparer.Ordinal);

        private FakeCollector(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        public static async Task<FakeCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new FakeCollector(app);
            app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                lock (collector._received)
                {
                    var path = "/v1/" + signal;
                    if (!collector._received.TryGetValue(path, out var text))
                    {
                        collector._received[path] = text = new StringBuilder();
                    }

                    text.Append(Encoding.UTF8.GetString(body.ToArray()));
                }

                context.Response.ContentType = "application/x-protobuf";
                return Results.Empty;
            });
            await app.StartAsync();
            collector.Address = new Uri(app.Urls.First());
            return collector;
        }

        public string Received(string path)
        {
            lock (_received)
            {
                return _received.TryGetValue(path, out var text) ? text.ToString() : "";
            }
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
