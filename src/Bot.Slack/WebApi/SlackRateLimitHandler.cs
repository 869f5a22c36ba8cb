namespace Bot.Slack.WebApi;

/// <summary>The HTTP pipeline's entry into the process-wide <see cref="SlackRateLimiter"/>.</summary>
internal sealed class SlackRateLimitHandler(SlackRateLimiter limiter) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        limiter.SendAsync(request, (message, token) => base.SendAsync(message, token), cancellationToken);
}
