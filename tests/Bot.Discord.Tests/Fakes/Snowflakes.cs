using System.Globalization;

namespace Bot.Discord.Tests.Fakes;

/// <summary>Makes ids shaped like Discord snowflakes (milliseconds since 2015 shifted left 22 bits), strictly increasing.</summary>
internal static class Snowflakes
{
    private const long DiscordEpochMs = 1_420_070_400_000;
    private static long s_last;

    public static string Next()
    {
        var fromClock = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - DiscordEpochMs) << 22;
        while (true)
        {
            var last = Interlocked.Read(ref s_last);
            var next = Math.Max(last + 1, fromClock);
            if (Interlocked.CompareExchange(ref s_last, next, last) == last)
            {
                return next.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    public static bool IsSnowflake(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 20 && value.All(char.IsAsciiDigit) && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    public static ulong Parse(string value) => ulong.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
}
