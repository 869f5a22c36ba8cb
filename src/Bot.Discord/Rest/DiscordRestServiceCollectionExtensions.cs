using Bot.Adapters;
using Bot.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Rest;

public static class DiscordRestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DiscordRestClient"/> (also as <see cref="IGatewayUrlSource"/>) with its base address from
    /// <see cref="DiscordOptions.ApiBaseUrl"/>, retries of server errors outside and Discord's rate limits inside.
    /// The factory's request logging is removed: it would write URLs, and interaction URLs carry tokens.
    /// </summary>
    public static IHttpClientBuilder AddDiscordRest(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordRateLimiter>();
        services.TryAddTransient<DiscordRateLimitHandler>();
        services.TryAddTransient<IGatewayUrlSource>(provider => provider.GetRequiredService<DiscordRestClient>());
        return services
            .AddHttpClient<DiscordRestClient>((provider, http) =>
                http.BaseAddress = WithTrailingSlash(provider.GetRequiredService<IOptions<DiscordOptions>>().Value.ApiBaseUrl))
            .AddTransientRetries(Platform.Discord.ToString(), provider => provider.GetRequiredService<IOptions<DiscordOptions>>().Value.Retry, DiscordRoute.TemplateOf)
            .AddHttpMessageHandler<DiscordRateLimitHandler>()
            // Innermost, so every attempt is counted, retries and 429s included.
            .AddHttpMessageHandler(provider => new PlatformRequestMetricsHandler(provider.GetService<BotMetrics>(), Platform.Discord, DiscordRoute.TemplateOf))
            // Long-lived services hold the client, so the handler is never rotated; pooled connections are
            // recycled instead, which keeps DNS changes of discord.com visible.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
    }

    /// <summary>Without the slash, relative paths would replace the <c>v10</c> segment instead of following it.</summary>
    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
}
