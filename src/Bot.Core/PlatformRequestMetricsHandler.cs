namespace Bot.Core;

/// <summary>
/// Counts every HTTP attempt an adapter makes to its platform, innermost in the client's handlers so
/// that each retry and each 429 is seen (<see cref="BotMetrics.PlatformRequest"/>). Without metrics
/// (a host that registers none) it only passes requests on.
/// </summary>
public sealed class PlatformRequestMetricsHandler(BotMetrics? metrics, Platform platform) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            metrics?.PlatformRequest(platform, null);
            throw;
        }

        metrics?.PlatformRequest(platform, (int)response.StatusCode);
        return response;
    }
}

