using System.Globalization;

namespace Bot.Adapters;

/// <summary>
/// How a platform's API client retries server errors (5xx) and network failures: the first retry after
/// <see cref="FirstDelay"/>, each next one after twice the last, all with jitter. Rate limits (429) are
/// the platform's own limiter's business and other 4xx are never retried.
/// </summary>
public sealed class TransientRetryOptions
{
    public const int MostRetries = 10;

    /// <summary>Retries after the first attempt; 0 sends each request once.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>What is wrong with these settings, each naming its key under <paramref name="section"/> (e.g. <c>Discord:Retry</c>).</summary>
    public IEnumerable<string> Problems(string section)
    {
        if (MaxRetries is < 0 or > MostRetries)
        {
            yield return $"{section}:MaxRetries must be from 0 to {MostRetries} (got {MaxRetries.ToString(CultureInfo.InvariantCulture)}).";
        }

        if (FirstDelay < TimeSpan.FromMilliseconds(1) || FirstDelay > TimeSpan.FromSeconds(30))
        {
            yield return $"{section}:FirstDelay must be from 00:00:00.001 to 00:00:30, e.g. 00:00:00.200 (got {FirstDelay.ToString("c", CultureInfo.InvariantCulture)}).";
        }
    }
}
