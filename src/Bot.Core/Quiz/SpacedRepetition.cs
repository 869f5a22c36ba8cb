namespace Bot.Core.Quiz;

/// <summary>
/// SM-2 (Wozniak, 1990), the algorithm behind Anki's classic scheduler: each right answer multiplies
/// the interval by the card's ease; a wrong one starts the card over and lowers its ease. A multiple-
/// choice answer carries no self-rating, so right counts as quality 4 and wrong as quality 1.
/// </summary>
public static class SpacedRepetition
{
    public const double StartingEase = 2.5;
    public const double MinimumEase = 1.3;

    private const int RightQuality = 4;
    private const int WrongQuality = 1;

    public static ReviewCard Next(ReviewCard? card, string questionId, string conceptId, bool correct, DateTimeOffset answeredAt)
    {
        var repetitions = card?.Repetitions ?? 0;
        var interval = card?.IntervalDays ?? 0;
        var ease = card?.Ease ?? StartingEase;
        var lapses = card?.Lapses ?? 0;
        var quality = correct ? RightQuality : WrongQuality;

        if (correct)
        {
            interval = repetitions switch
            {
                0 => 1,
                1 => 6,
                _ => Math.Round(interval * ease),
            };
            repetitions++;
        }
        else
        {
            repetitions = 0;
            interval = 1;
            lapses++;
        }

        var distance = 5 - quality;
        ease = Math.Max(MinimumEase, ease + (0.1 - (distance * (0.08 + (distance * 0.02)))));
        return new ReviewCard(questionId, conceptId, repetitions, interval, ease, lapses, answeredAt, answeredAt.AddDays(interval));
    }
}
