using System.Globalization;
using Bot.Host.Health;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot health [--ready] [--url U]</c>: asks a running <c>bot serve</c> for its health, so that the
/// Docker image's HEALTHCHECK needs no curl. Exit 0 when healthy, 1 when not or unreachable.
/// </summary>
internal static class HealthProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string? url, bool ready, CancellationToken cancellationToken)
    {
        var baseUrl = url ?? $"http://127.0.0.1:{LocalPort().ToString(CultureInfo.InvariantCulture)}";
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var baseUri))
        {
            await Console.Error.WriteLineAsync($"--url '{baseUrl}' is not an absolute URL, e.g. http://127.0.0.1:8080");
            return ExitCodes.Usage;
        }

        var target = new Uri(baseUri, ready ? HealthEndpoints.ReadinessPath : HealthEndpoints.LivenessPath);
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(target, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            await Console.Out.WriteLineAsync(body);
            return response.IsSuccessStatusCode ? ExitCodes.Success : ExitCodes.Unhealthy;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{target} did not answer: {exception.Message}");
            return ExitCodes.Unhealthy;
        }
    }

    /// <summary>The first port of ASPNETCORE_HTTP_PORTS (as the official images set it), else serve's default.</summary>
    private static int LocalPort()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? Environment.GetEnvironmentVariable("HTTP_PORTS");
        var first = ports?.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : BotHost.DefaultHttpPort;
    }
}
