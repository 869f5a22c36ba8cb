using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.WebApi;

/// <summary>
/// Slack's rate limits, which apply per method: once a method is told to wait, every call of that method waits
/// until the pause ends, not only the one that was refused. Process-wide (a singleton), because the HTTP client
/// factory recycles handlers.
/// </summary>
internal sealed partial class SlackRateLimiter(TimeProvider time, ILogger<SlackRateLimiter> logger)
{
    internal const int MaxRateLimitRetries = 5;

    /// <summary>For a 429 without <c>Retry-After</c> and for <c>ratelimited</c> in an <c>ok:false</c> body, which carries no wait.</summary>
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(1);

    private const int MaxRateLimitedBodyLength = 1024;

    private readonly Lock _sync = new();
    private readonly Dictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);

    /// <summary>Returns once <paramref name="method"/> is not paused.</summary>
    public async Task WaitAsync(string method, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_sync)
            {
                var now = time.GetUtcNow();
                if (!_pausedUntil.TryGetValue(method, out var until) || until <= now)
                {
                    _pausedUntil.Remove(method);
                    return;
                }

                wait = until - now;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pauses every call of <paramref name="method"/> for <paramref name="retryAfter"/> (a longer pause already set wins).</summary>
    public void Pause(string method, TimeSpan retryAfter, int attempt)
    {
        lock (_sync)
        {
            var until = time.GetUtcNow() + retryAfter;
            if (!_pausedUntil.TryGetValue(method, out var current) || current < until)
            {
                _pausedUntil[method] = until;
            }
        }

        LogRateLimited(method, retryAfter.TotalMilliseconds, attempt);
    }

    /// <summary>Sends through <paramref name="send"/>, waiting out the method's pause first and after each 429, at most <see cref="MaxRateLimitRetries"/> times.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        var method = SlackMethod.Of(request);
        for (var attempt = 1; ; attempt++)
        {
            await WaitAsync(method, cancellationToken).ConfigureAwait(false);
            var response = await send(request, cancellationToken).ConfigureAwait(false);
            TimeSpan retryAfter;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = RetryAfter(response);
            }
            else if (await IsRateLimitedBodyAsync(response, cancellationToken).ConfigureAwait(false))
            {
                retryAfter = DefaultRetryAfter;
            }
            else
            {
                return response;
            }

            Pause(method, retryAfter, attempt);
            if (attempt > MaxRateLimitRetries)
            {
                return response;
            }

            response.Dispose();
        }
    }

    /// <summary>
    /// <c>{"ok":false,"error":"ratelimited"}</c> with status 200. Such an answer is tiny, so larger bodies are not
    /// parsed twice; reading buffers the content, so the client still reads the same body afterwards.
    /// </summary>
    private static async Task<bool> IsRateLimitedBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length is 0 or > MaxRateLimitedBodyLength || body[0] != (byte)'{')
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False
                && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                && error.GetString() is "ratelimited" or "rate_limited";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Slack sends whole seconds in <c>Retry-After</c>.</summary>
    private TimeSpan RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } when delta >= TimeSpan.Zero => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => DefaultRetryAfter,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack rate limited {Method}: every call of it waits {RetryAfterMs} ms (attempt {Attempt})")]
    private partial void LogRateLimited(string method, double retryAfterMs, int attempt);
}
