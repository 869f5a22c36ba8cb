using Bot.Core.Quiz;

namespace Bot.Core.Tests.Quiz;

public class StreakAndWeekTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Theory]
    [InlineData(new int[0], 0)]
    [InlineData(new[] { 0 }, 1)]
    [InlineData(new[] { 1 }, 1)]
    [InlineData(new[] { 2 }, 0)]
    [InlineData(new[] { 0, 1, 2, 3 }, 4)]
    [InlineData(new[] { 1, 2, 4, 5 }, 2)]
    [InlineData(new[] { 3, 4, 5 }, 0)]
    public void StreakDays_CountsConsecutiveDaysEndingTodayOrYesterday(int[] daysAgo, int expected)
    {
        var days = daysAgo.Select(ago => Today.AddDays(-ago)).ToList();

        Assert.Equal(expected, StatsHandler.StreakDays(days, Today));
    }

    [Theory]
    [InlineData("2026-11-23T00:00:00Z", "2026-11-23T00:00:00Z")] // a Monday
    [InlineData("2026-11-29T23:59:59Z", "2026-11-23T00:00:00Z")] // the Sunday after
    [InlineData("2026-11-22T12:00:00Z", "2026-11-16T00:00:00Z")] // the Sunday before
    [InlineData("2026-11-25T05:00:00+09:00", "2026-11-23T00:00:00Z")] // Tuesday 20:00 UTC
    public void StartOfWeek_IsMondayMidnightUtc(string now, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            StatsHandler.StartOfWeek(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
}
