using System.Net;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.WebApi;

/// <summary>
/// Retries server errors (5xx) and network failures with exponential backoff and jitter. It sits outside the rate
/// limiter so every retry waits out the method's pause again; 429 is the limiter's business and 4xx is never retried.
/// A post whose answer was lost can therefore land twice; callers that must not duplicate look the message up
/// again by its metadata.
/// </summary>
internal sealed partial class SlackTransientRetryHandler(TimeProvider time, ILogger<SlackTransientRetryHandler> logger) : DelegatingHandler
{
    internal const int MaxRetries = 3;

    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(200);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = SlackMethod.Of(request);
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (attempt <= MaxRetries && IsTransient(exception, cancellationToken))
            {
                // The exception itself is not logged: a socket error's text is not ours to vouch for.
                var delay = Backoff(attempt);
                LogNetworkRetry(method, exception.GetType().Name, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (attempt > MaxRetries || !IsServerError(response.StatusCode))
            {
                return response;
            }

            var backoff = Backoff(attempt);
            LogServerErrorRetry(method, (int)response.StatusCode, attempt, backoff.TotalMilliseconds);
            response.Dispose();
            await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsServerError(HttpStatusCode status) => (int)status >= 500;

    private static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException => true,

        // A connect timeout inside the socket handler, not the caller giving up.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>200 ms, 400 ms, 800 ms, each scaled by a random factor in [0.5, 1.5) so clients that failed together spread out.</summary>
    private static TimeSpan Backoff(int attempt)
    {
#pragma warning disable CA5394 // Jitter spreads retries; it protects nothing.
        var jitter = 0.5 + Random.Shared.NextDouble();
#pragma warning restore CA5394
        return BaseDelay * Math.Pow(2, attempt - 1) * jitter;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack answered {Status} to {Method}; retry {Attempt} in {DelayMs} ms")]
    private partial void LogServerErrorRetry(string method, int status, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack request {Method} failed with {ErrorType}; retry {Attempt} in {DelayMs} ms")]
    private partial void LogNetworkRetry(string method, string errorType, int attempt, double delayMs);
}
