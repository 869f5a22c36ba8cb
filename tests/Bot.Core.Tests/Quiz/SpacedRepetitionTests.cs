using Bot.Core.Quiz;

namespace Bot.Core.Tests.Quiz;

public class SpacedRepetitionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_RightAnswers_GrowTheIntervalBy1Then6ThenTimesTheEase()
    {
        ReviewCard? card = null;
        var intervals = new List<double>();
        var now = Start;
        for (var review = 0; review < 4; review++)
        {
            card = SpacedRepetition.Next(card, "q", "c", correct: true, now);
            intervals.Add(card.IntervalDays);
            now = card.DueAt;
        }

        // Quality 4 leaves SM-2's ease at 2.5, so 6 * 2.5 = 15 and 15 * 2.5 = 37.5, rounded to 38.
        Assert.Equal([1, 6, 15, 38], intervals);
        Assert.Equal(SpacedRepetition.StartingEase, card!.Ease, precision: 10);
        Assert.Equal(4, card.Repetitions);
        Assert.Equal(Start.AddDays(1 + 6 + 15 + 38), card.DueAt);
    }

    [Fact]
    public void Next_WrongAnswer_StartsOverTomorrowAndLowersTheEase()
    {
        var learned = SpacedRepetition.Next(SpacedRepetition.Next(null, "q", "c", true, Start), "q", "c", true, Start.AddDays(1));

        var lapsed = SpacedRepetition.Next(learned, "q", "c", correct: false, Start.AddDays(7));

        Assert.Equal(0, lapsed.Repetitions);
        Assert.Equal(1, lapsed.IntervalDays);
        Assert.Equal(1, lapsed.Lapses);
        Assert.Equal(2.5 - 0.54, lapsed.Ease, precision: 10);
        Assert.Equal(Start.AddDays(8), lapsed.DueAt);
    }

    [Fact]
    public void Next_ManyWrongAnswers_NeverDropTheEaseBelowTheMinimum()
    {
        ReviewCard? card = null;
        for (var review = 0; review < 10; review++)
        {
            card = SpacedRepetition.Next(card, "q", "c", correct: false, Start);
        }

        Assert.Equal(SpacedRepetition.MinimumEase, card!.Ease);
        Assert.Equal(10, card.Lapses);
    }
}
