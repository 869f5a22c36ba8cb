using Bot.Adapters;
using Bot.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Slack.WebApi;

public static class SlackWebApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SlackWebApiClient"/> with its base address from <see cref="SlackOptions.ApiBaseUrl"/>,
    /// retries of server errors outside and Slack's per-method rate limits inside. The factory's request logging is
    /// removed: it would write URLs, and a <c>response_url</c> is a secret.
    /// </summary>
    public static IHttpClientBuilder AddSlackWebApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SlackRateLimiter>();
        services.TryAddTransient<SlackRateLimitHandler>();
        return services
            .AddHttpClient<SlackWebApiClient>((provider, http) =>
                http.BaseAddress = WithTrailingSlash(provider.GetRequiredService<IOptions<SlackOptions>>().Value.ApiBaseUrl))
            .AddTransientRetries(Platform.Slack.ToString(), provider => provider.GetRequiredService<IOptions<SlackOptions>>().Value.Retry, SlackMethod.Of)
            .AddHttpMessageHandler<SlackRateLimitHandler>()
            // Innermost, so every attempt is counted, retries and 429s included.
            .AddHttpMessageHandler(provider => new PlatformRequestMetricsHandler(provider.GetService<BotMetrics>(), Platform.Slack, SlackMethod.Of))
            // Long-lived services hold the client, so the handler is never rotated; pooled connections are
            // recycled instead, which keeps DNS changes of slack.com visible.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
    }

    /// <summary>Without the slash, a method name would replace the <c>api</c> segment instead of following it.</summary>
    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
