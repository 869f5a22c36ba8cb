using System.Diagnostics;

namespace Bot.Core;

/// <summary>
/// Counts every HTTP attempt an adapter makes to its platform, innermost in the client's handlers so
/// that each retry and each 429 is seen (<see cref="BotMetrics.PlatformRequest"/>), and traces each as a
/// client span named by <paramref name="describe"/>: a route template or a method name, never the address
/// (interaction tokens and response URLs are secrets). Without metrics (a host that registers none)
/// and without a tracer listening it only passes requests on.
/// </summary>
public sealed class PlatformRequestMetricsHandler(BotMetrics? metrics, Platform platform, Func<HttpRequestMessage, string> describe) : DelegatingHandler
{
    // The retry handlers and rate limiters outside send the same request object again, so it carries its last answer.
    private static readonly HttpRequestOptionsKey<string> LastAnswer = new("Bot.Core.PlatformRequestMetricsHandler.LastAnswer");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(LastAnswer, out var previous))
        {
            metrics?.PlatformRetry(platform, previous);
        }

        using var activity = BotMetrics.Tracing.StartActivity(ActivityKind.Client, name: describe(request));
        activity?.SetTag("tutor.platform", BotMetrics.PlatformLabel(platform));
        activity?.SetTag("http.request.method", request.Method.Method);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            Record(request, null);
            activity?.SetStatus(ActivityStatusCode.Error, exception.HttpRequestError.ToString());
            throw;
        }

        Record(request, (int)response.StatusCode);
        activity?.SetTag("http.response.status_code", (int)response.StatusCode);
        if ((int)response.StatusCode >= 400)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        return response;
    }

    private void Record(HttpRequestMessage request, int? statusCode)
    {
        var status = BotMetrics.StatusLabel(statusCode);
        request.Options.Set(LastAnswer, status);
        metrics?.PlatformRequest(platform, status);
    }
}
