using System.Globalization;

namespace Bot.Core;

/// <summary>This machine's clock against a platform's, read from the <c>Date</c> header of any answer of its API.</summary>
public static class PlatformClock
{
    /// <summary>Slack refuses signed requests more than five minutes old; the same bound is held against Discord.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Calls <paramref name="address"/>, a method needing no token so that the check works even when the credentials
    /// do not, and compares the answer's <c>Date</c> with <paramref name="time"/>.
    /// </summary>
    public static async Task<DoctorCheck> CheckAsync(
        string platform, HttpClient http, HttpMethod method, Uri address, string userAgent, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        var name = $"{platform} clock";
        DateTimeOffset? platformNow;
        DateTimeOffset localNow;
        try
        {
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(Patience);
            using var request = new HttpRequestMessage(method, address);
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            using var response = await http.SendAsync(request, patience.Token).ConfigureAwait(false);
            localNow = time.GetUtcNow();
            platformNow = response.Headers.Date;
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DoctorCheck.Fail(name, $"{platform}'s API did not answer: {exception.Message}", "check the network and any proxy between the bot and the platform.");
        }

        if (platformNow is not { } theirs)
        {
            return DoctorCheck.Skip(name, $"{platform}'s answer had no Date header to compare with.");
        }

        var skew = localNow - theirs;
        var size = skew.Duration();
        var said = $"{Math.Floor(size.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min {size.Seconds.ToString(CultureInfo.InvariantCulture)} s";
        return size > MaxSkew
            ? DoctorCheck.Fail(name, $"this machine's clock is {said} {(skew > TimeSpan.Zero ? "ahead of" : "behind")} {platform}'s; signed requests more than 5 minutes off are refused.",
                "synchronize the clock with NTP (timedatectl set-ntp true, or chrony/ntpd on the host; a container uses the host's clock).")
            : DoctorCheck.Pass(name, $"within {Math.Ceiling(size.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s of {platform}'s (the Date header counts whole seconds).");
    }
}
