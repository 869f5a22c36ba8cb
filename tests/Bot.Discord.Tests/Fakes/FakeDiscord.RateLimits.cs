using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

public sealed partial class FakeDiscord
{
    private static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1);

    private readonly List<Injection> _injections = [];
    private readonly List<RouteLimitRule> _routeLimits = [];
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalRecent = new();
    private DateTimeOffset _globalBlockedUntil;

    /// <summary>Requests per second across Bot-authenticated routes before a global 429 (Discord: 50).</summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Size of the per-route bucket (route + major parameter) when no <see cref="SetRouteLimit"/> rule matches.</summary>
    public int DefaultRouteLimit { get; set; } = 50;

    /// <summary>Window of the default per-route bucket.</summary>
    public TimeSpan DefaultRouteWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Answers the next <paramref name="count"/> requests whose method matches and whose path (relative to
    /// /api/v10, e.g. "/channels/1/messages") starts with <paramref name="pathPrefix"/> with
    /// <paramref name="status"/> instead of serving them. With <paramref name="afterProcessing"/> the request takes
    /// effect first and only the answer is lost, as when a gateway times out after Discord created the message.
    /// </summary>
    public void InjectStatus(string method, string pathPrefix, int status, int count, bool afterProcessing = false)
    {
        lock (_gate)
        {
            _injections.Add(new Injection(method, pathPrefix, status, TimeSpan.Zero, Global: false, afterProcessing) { Remaining = count });
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> matching requests with 429 and <paramref name="retryAfter"/>
    /// (scope "user", or "global" with <paramref name="global"/>). Requests that arrive before the retry time has
    /// passed become problems, as for real limits.
    /// </summary>
    public void InjectRateLimit(string method, string pathPrefix, TimeSpan retryAfter, int count, bool global = false)
    {
        lock (_gate)
        {
            _injections.Add(new Injection(method, pathPrefix, 429, retryAfter, global, AfterProcessing: false) { Remaining = count });
        }
    }

    /// <summary>
    /// Gives matching routes a real bucket of <paramref name="limit"/> requests per <paramref name="window"/>
    /// (one per major parameter, e.g. per channel), announced in X-RateLimit-* headers; a request beyond it gets 429.
    /// </summary>
    public void SetRouteLimit(string method, string pathPrefix, int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            _routeLimits.RemoveAll(rule =>
                string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase) && string.Equals(rule.PathPrefix, pathPrefix, StringComparison.Ordinal));
            _routeLimits.Add(new RouteLimitRule(method, pathPrefix, limit, window));
        }
    }

    // Null when the request may proceed (its bucket headers are then in call.RateLimitHeaders); otherwise the 429 or injected answer.
    private Answer? ApplyRateLimits(Call call, RouteInfo route)
    {
        var now = call.At;
        var bucket = BucketFor(call, route);
        if (route.CountsTowardGlobalLimit && now < _globalBlockedUntil)
        {
            Problem(call.Where, $"sent during a global rate limit, {Seconds(_globalBlockedUntil - now)} s before retry_after elapsed");
        }

        if (_blockedUntil.TryGetValue(bucket.Key, out var until) && now < until)
        {
            Problem(call.Where, $"sent during rate limit: bucket {bucket.Id} announced no requests left (or a 429) until {Seconds(until - now)} s later");
        }

        var injection = _injections.FirstOrDefault(i => i.Remaining > 0 && i.Matches(call.Method, call.RelativePath));
        if (injection is not null)
        {
            injection.Remaining--;
            if (injection.Status == 429)
            {
                if (injection.Global)
                {
                    _globalBlockedUntil = now + injection.RetryAfter;
                    return TooManyRequests(injection.RetryAfter, global: true, bucket: null, now);
                }

                _blockedUntil[bucket.Key] = now + injection.RetryAfter;
                return TooManyRequests(injection.RetryAfter, global: false, bucket, now);
            }

            if (!injection.AfterProcessing)
            {
                return Answer.Error(injection.Status, 0, StatusText(injection.Status));
            }

            call.StatusAfterProcessing = injection.Status;
        }

        if (route.CountsTowardGlobalLimit)
        {
            while (_globalRecent.TryPeek(out var oldest) && now - oldest >= GlobalWindow)
            {
                _globalRecent.Dequeue();
            }

            if (_globalRecent.Count >= GlobalRequestsPerSecond)
            {
                var retryAfter = _globalRecent.Peek() + GlobalWindow - now;
                _globalBlockedUntil = now + retryAfter;
                Problem(call.Where, $"exceeded the global limit of {GlobalRequestsPerSecond} requests per second");
                return TooManyRequests(retryAfter, global: true, bucket: null, now);
            }

            _globalRecent.Enqueue(now);
        }

        if (now >= bucket.ResetAt)
        {
            bucket.Used = 0;
            bucket.ResetAt = now + bucket.Window;
        }

        if (bucket.Used >= bucket.Limit)
        {
            _blockedUntil[bucket.Key] = bucket.ResetAt;
            return TooManyRequests(bucket.ResetAt - now, global: false, bucket, now);
        }

        bucket.Used++;
        if (bucket.Used == bucket.Limit)
        {
            _blockedUntil[bucket.Key] = bucket.ResetAt;
        }

        AddBucketHeaders(call.RateLimitHeaders, bucket, now);
        return null;
    }

    private Bucket BucketFor(Call call, RouteInfo route)
    {
        var rule = _routeLimits.LastOrDefault(r => r.Matches(call.Method, call.RelativePath));
        var shared = rule is null ? route.Template : $"rule {rule.Method} {rule.PathPrefix}";
        var key = $"{shared}|{route.MajorParameter}";
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shared)))[..32];
            bucket = new Bucket(key, id, rule?.Limit ?? DefaultRouteLimit, rule?.Window ?? DefaultRouteWindow);
            _buckets[key] = bucket;
        }

        return bucket;
    }

    private Answer TooManyRequests(TimeSpan retryAfter, bool global, Bucket? bucket, DateTimeOffset now)
    {
        var answer = new Answer(429, new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = CeilingMilliseconds(retryAfter) / 1000.0,
            ["global"] = global,
        });
        answer.Headers["Retry-After"] = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        answer.Headers["X-RateLimit-Scope"] = global ? "global" : "user";
        if (global)
        {
            answer.Headers["X-RateLimit-Global"] = "true";
        }

        if (bucket is not null)
        {
            AddBucketHeaders(answer.Headers, bucket, now);
            answer.Headers["X-RateLimit-Remaining"] = "0";
            answer.Headers["X-RateLimit-Reset-After"] = Seconds(retryAfter);
            answer.Headers["X-RateLimit-Reset"] = EpochSeconds(OnPlatformClock(now + retryAfter));
        }

        return answer;
    }

    private void AddBucketHeaders(Dictionary<string, string> headers, Bucket bucket, DateTimeOffset now)
    {
        headers["X-RateLimit-Limit"] = bucket.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, bucket.Limit - bucket.Used).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = EpochSeconds(OnPlatformClock(bucket.ResetAt));
        headers["X-RateLimit-Reset-After"] = Seconds(bucket.ResetAt - now);
        headers["X-RateLimit-Bucket"] = bucket.Id;
    }

    // Announced times round up to the millisecond so that a client waiting exactly as told never arrives early.
    private static long CeilingMilliseconds(TimeSpan span) => Math.Max(0, (long)Math.Ceiling(span.TotalMilliseconds));

    private static string Seconds(TimeSpan span) =>
        (CeilingMilliseconds(span) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private static string EpochSeconds(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds() + (at.UtcTicks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
        return (milliseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
    }

    private sealed record Injection(string Method, string PathPrefix, int Status, TimeSpan RetryAfter, bool Global, bool AfterProcessing)
    {
        public int Remaining { get; set; }

        public bool Matches(string method, string relativePath) =>
            string.Equals(method, Method, StringComparison.OrdinalIgnoreCase) && relativePath.StartsWith(PathPrefix, StringComparison.Ordinal);
    }

    private sealed record RouteLimitRule(string Method, string PathPrefix, int Limit, TimeSpan Window)
    {
        public bool Matches(string method, string relativePath) =>
            string.Equals(method, Method, StringComparison.OrdinalIgnoreCase) && relativePath.StartsWith(PathPrefix, StringComparison.Ordinal);
    }

    private sealed class Bucket(string key, string id, int limit, TimeSpan window)
    {
        public string Key { get; } = key;

        public string Id { get; } = id;

        public int Limit { get; } = limit;

        public TimeSpan Window { get; } = window;

        public DateTimeOffset ResetAt { get; set; } = DateTimeOffset.MinValue;

        public int Used { get; set; }
    }
}
