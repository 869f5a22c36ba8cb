using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord's rate limits, learned from response headers and kept for the process (handlers are recycled by
/// the HTTP client factory, so this state lives in a singleton). Requests into one bucket go one at a time,
/// so every request sees the headers of the one before it and never enters a window Discord called spent.
/// </summary>
internal sealed partial class DiscordRateLimiter(TimeProvider time, ILogger<DiscordRateLimiter> logger)
{
    /// <summary>Discord allows 50 per second per bot; stay a little under it.</summary>
    internal const int DefaultGlobalRequestsPerSecond = 48;

    internal const int MaxRateLimitRetries = 5;

    /// <summary>Covers reset values rounded down and timer granularity.</summary>
    private static readonly TimeSpan SafetyMargin = TimeSpan.FromMilliseconds(25);

    /// <summary>When the server sends neither body nor header on a 429, don't hammer it.</summary>
    private static readonly TimeSpan FallbackRetryAfter = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan IdleBucketLifetime = TimeSpan.FromMinutes(5);

    private const int SweepThreshold = 1024;

    private readonly Lock _sync = new();
    private readonly Dictionary<string, string> _bucketHashByRoute = [];
    private readonly Dictionary<string, Bucket> _buckets = [];
    private readonly Queue<DateTimeOffset> _recentBotAnswers = new();
    private TaskCompletionSource _globalSlotReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _botRequestsInFlight;
    private DateTimeOffset _globalPauseUntil = DateTimeOffset.MinValue;

    /// <summary>Bot-authenticated requests allowed in any one-second window; tests scale it with a fake's limit.</summary>
    internal int GlobalRequestsPerSecond { get; set; } = DefaultGlobalRequestsPerSecond;

    public async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken)
    {
        var route = request.Options.TryGetValue(DiscordRoute.OptionsKey, out var known) ? known : DiscordRoute.Unknown(request);
        for (var attempt = 1; ; attempt++)
        {
            var bucket = await EnterBucketAsync(route, cancellationToken).ConfigureAwait(false);
            try
            {
                await WaitForBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
                HttpResponseMessage response;
                if (route.UsesBotToken)
                {
                    await EnterGlobalWindowAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        response = await send(request, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        LeaveGlobalWindow();
                    }
                }
                else
                {
                    response = await send(request, cancellationToken).ConfigureAwait(false);
                }

                var bucketHash = Observe(route, bucket, response);
                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    return response;
                }

                // Recorded before the bucket is released, so the next request in line already waits.
                var limit = await ReadRateLimitAsync(response, cancellationToken).ConfigureAwait(false);
                RecordRateLimit(bucket, limit);
                LogRateLimited(route.Template, bucketHash ?? "(none)", route.MajorParameter, limit.RetryAfter.TotalMilliseconds,
                    limit.Global, limit.Scope ?? "(none)", attempt);
                if (attempt > MaxRateLimitRetries)
                {
                    return response;
                }

                response.Dispose();
            }
            finally
            {
                LeaveBucket(bucket);
            }
        }
    }

    private async Task<Bucket> EnterBucketAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        while (true)
        {
            Bucket bucket;
            string key;
            lock (_sync)
            {
                key = BucketKey(route);
                bucket = RentBucket(key);
            }

            try
            {
                await bucket.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                lock (_sync)
                {
                    bucket.Users--;
                }

                throw;
            }

            lock (_sync)
            {
                // While this request queued, an earlier one may have learned the route's real bucket hash.
                if (BucketKey(route) == key)
                {
                    return bucket;
                }
            }

            LeaveBucket(bucket);
        }
    }

    private void LeaveBucket(Bucket bucket)
    {
        bucket.Gate.Release();
        lock (_sync)
        {
            bucket.Users--;
        }
    }

    private string BucketKey(DiscordRoute route)
    {
        var routeKey = RouteKey(route);
        var hash = _bucketHashByRoute.TryGetValue(routeKey, out var learned) ? learned : "route:" + routeKey;
        return hash + "|" + route.MajorParameter;
    }

    private static string RouteKey(DiscordRoute route) => route.Template;

    private Bucket RentBucket(string key)
    {
        var now = time.GetUtcNow();
        if (_buckets.Count > SweepThreshold)
        {
            SweepIdleBuckets(now);
        }

        var bucket = GetOrAddBucket(key);
        bucket.Users++;
        bucket.LastUsed = now;
        return bucket;
    }

    private Bucket GetOrAddBucket(string key)
    {
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            bucket = new Bucket();
            _buckets[key] = bucket;
        }

        return bucket;
    }

    private void SweepIdleBuckets(DateTimeOffset now)
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.Users == 0 && now - bucket.LastUsed > IdleBucketLifetime && bucket.ResetAt < now)
            {
                _buckets.Remove(key);
            }
        }
    }

    private async Task WaitForBucketAsync(Bucket bucket, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_sync)
            {
                var now = time.GetUtcNow();
                if (bucket.Remaining is not 0 || bucket.ResetAt <= now)
                {
                    return;
                }

                wait = bucket.ResetAt - now + SafetyMargin;
            }

            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            lock (_sync)
            {
                if (bucket.ResetAt <= time.GetUtcNow())
                {
                    bucket.Remaining = null;
                }
            }
        }
    }

    /// <summary>
    /// Admits a bot-authenticated request when fewer than <see cref="GlobalRequestsPerSecond"/> requests are in flight
    /// or were answered within the last second. Counting from the answer rather than the send keeps the count honest
    /// however late requests reach Discord: an answered request has surely arrived, so one answered over a second
    /// ago cannot share Discord's one-second window with a request sent now.
    /// </summary>
    private async Task EnterGlobalWindowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan? wait;
            Task released;
            lock (_sync)
            {
                var now = time.GetUtcNow();
                released = _globalSlotReleased.Task;
                if (_globalPauseUntil > now)
                {
                    wait = _globalPauseUntil - now + SafetyMargin;
                }
                else
                {
                    while (_recentBotAnswers.Count > 0 && now - _recentBotAnswers.Peek() >= GlobalWindow)
                    {
                        _recentBotAnswers.Dequeue();
                    }

                    if (_botRequestsInFlight + _recentBotAnswers.Count < GlobalRequestsPerSecond)
                    {
                        _botRequestsInFlight++;
                        return;
                    }

                    // With every slot in flight, capacity can only return a second after some answer arrives.
                    wait = _recentBotAnswers.Count > 0 ? _recentBotAnswers.Peek() + GlobalWindow - now : null;
                }
            }

            if (wait is { } delay)
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await released.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void LeaveGlobalWindow()
    {
        TaskCompletionSource released;
        lock (_sync)
        {
            _botRequestsInFlight--;
            _recentBotAnswers.Enqueue(time.GetUtcNow());
            released = _globalSlotReleased;
            _globalSlotReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    /// <returns>The bucket hash Discord named, if any (safe to log: it identifies a limit, not a caller).</returns>
    private string? Observe(DiscordRoute route, Bucket current, HttpResponseMessage response)
    {
        var hash = Header(response, "X-RateLimit-Bucket");
        var remaining = int.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var r)
            ? r : (int?)null;
        var resetAt = ResetAt(response);
        lock (_sync)
        {
            var target = current;
            if (hash is not null)
            {
                _bucketHashByRoute[RouteKey(route)] = hash;
                target = GetOrAddBucket(hash + "|" + route.MajorParameter);
                target.LastUsed = time.GetUtcNow();
            }

            foreach (var bucket in target == current ? [current] : new[] { current, target })
            {
                if (remaining is not null && resetAt is not null)
                {
                    bucket.Remaining = remaining;
                    bucket.ResetAt = resetAt.Value;
                }
            }
        }

        return hash;
    }

    private DateTimeOffset? ResetAt(HttpResponseMessage response)
    {
        if (double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
        }

        // The absolute form depends on our clock agreeing with Discord's, so it is only the fallback.
        if (double.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.Float, CultureInfo.InvariantCulture, out var epochSeconds))
        {
            return DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(epochSeconds);
        }

        return null;
    }

    private void RecordRateLimit(Bucket bucket, RateLimit limit)
    {
        lock (_sync)
        {
            var until = time.GetUtcNow() + limit.RetryAfter;
            bucket.Remaining = 0;
            if (until > bucket.ResetAt)
            {
                bucket.ResetAt = until;
            }

            if (limit.Global && until > _globalPauseUntil)
            {
                _globalPauseUntil = until;
            }
        }
    }

    private async Task<RateLimit> ReadRateLimitAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        TimeSpan? retryAfter = null;
        var global = string.Equals(Header(response, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase);
        try
        {
            // Reading buffers the content, so the caller can still read the same body for its exception.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("retry_after", out var retry) && retry.TryGetDouble(out var seconds) && seconds >= 0)
                {
                    retryAfter = TimeSpan.FromSeconds(seconds);
                }

                if (root.TryGetProperty("global", out var globalElement) && globalElement.ValueKind == JsonValueKind.True)
                {
                    global = true;
                }
            }
        }
        catch (JsonException)
        {
            // A 429 from Cloudflare is HTML; the Retry-After header still applies.
        }

        retryAfter ??= response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
            _ => null,
        };
        return new RateLimit(retryAfter ?? FallbackRetryAfter, global, Header(response, "X-RateLimit-Scope"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Discord rate limited {Route} (bucket {Bucket}, resource {MajorParameter}, global {Global}, scope {Scope}): retry_after {RetryAfterMs} ms, attempt {Attempt}")]
    private partial void LogRateLimited(string route, string bucket, string majorParameter, double retryAfterMs, bool global, string scope, int attempt);

    private sealed record RateLimit(TimeSpan RetryAfter, bool Global, string? Scope);

    private sealed class Bucket
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Null until Discord tells, and again after a reset passes.</summary>
        public int? Remaining { get; set; }

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastUsed { get; set; }

        public int Users { get; set; }
    }
}
