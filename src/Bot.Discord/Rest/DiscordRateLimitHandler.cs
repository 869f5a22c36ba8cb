namespace Bot.Discord.Rest;

/// <summary>The HTTP pipeline's entry into the process-wide <see cref="DiscordRateLimiter"/>.</summary>
internal sealed class DiscordRateLimitHandler(DiscordRateLimiter limiter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        limiter.SendAsync(request, (message, token) => base.SendAsync(message, token), cancellationToken);
}
