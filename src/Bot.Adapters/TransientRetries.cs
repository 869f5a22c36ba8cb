using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Telemetry;

namespace Bot.Adapters;

/// <summary>Retries of server errors and network failures for a platform's API client, through Polly.</summary>
public static partial class TransientRetries
{
    /// <summary>
    /// Adds the retries at this point of the client's handler chain: put it outside the rate limiter, so
    /// every retry passes the limiter again. The same request object is sent again, which the metrics
    /// handler counts as a retry. Polly's own log lines are turned off; this writes one line per retry,
    /// naming the request as <paramref name="describe"/> does (never its URL, which may hold a token) and
    /// never the exception's text, which is not ours to vouch for.
    /// </summary>
    /// <param name="platform">The platform's name, for the log line and the pipeline's name.</param>
    /// <param name="settings">The platform's retry settings.</param>
    /// <param name="describe">A name for a request that is safe to log: a route template, a method name.</param>
    public static IHttpClientBuilder AddTransientRetries(
        this IHttpClientBuilder builder,
        string platform,
        Func<IServiceProvider, TransientRetryOptions> settings,
        Func<HttpRequestMessage, string> describe)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddResilienceHandler($"{platform.ToLowerInvariant()}-transient-retries", (pipeline, context) =>
        {
            var options = settings(context.ServiceProvider);
            if (options.MaxRetries == 0)
            {
                return;
            }

            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TransientRetries).FullName!);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.FirstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = arguments => ValueTask.FromResult(IsTransient(arguments.Outcome, arguments.Context.CancellationToken)),
                OnRetry = arguments =>
                {
                    var request = arguments.Context.GetRequestMessage() is { } message ? describe(message) : "?";
                    var delayMs = arguments.RetryDelay.TotalMilliseconds;
                    if (arguments.Outcome.Result is { } response)
                    {
                        LogServerErrorRetry(logger, platform, (int)response.StatusCode, request, arguments.AttemptNumber + 1, delayMs);
                    }
                    else
                    {
                        LogNetworkRetry(logger, platform, request, arguments.Outcome.Exception?.GetType().Name ?? "?", arguments.AttemptNumber + 1, delayMs);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        });

        // After the resilience handler's own set-up, which gives Polly the host's loggers: Polly logs every
        // attempt, and a failure's exception text, which may quote what it failed on.
        builder.Services.PostConfigureAll<TelemetryOptions>(telemetry => telemetry.LoggerFactory = NullLoggerFactory.Instance);
        return builder;
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken) => outcome switch
    {
        { Exception: HttpRequestException } => true,

        // A connect timeout inside the socket handler, not the caller giving up.
        { Exception: OperationCanceledException } => !cancellationToken.IsCancellationRequested,
        { Exception: null, Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} answered {Status} to {Request}; retry {Attempt} in {DelayMs} ms")]
    private static partial void LogServerErrorRetry(ILogger logger, string platform, int status, string request, int attempt, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} request {Request} failed with {ErrorType}; retry {Attempt} in {DelayMs} ms")]
    private static partial void LogNetworkRetry(ILogger logger, string platform, string request, string errorType, int attempt, double delayMs);
}
