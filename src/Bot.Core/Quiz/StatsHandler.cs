using System.Globalization;
using System.Text;
using Bot.Core.Commands;
using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;

namespace Bot.Core.Quiz;

/// <summary><c>/stats</c> and <c>/leaderboard</c>.</summary>
public sealed class StatsHandler(IKnowledgeBaseSource knowledge, IQuizStore store, TimeProvider time) : ICommandHandler<StatsRequest>, ICommandHandler<LeaderboardRequest>
{
    public static string StatsCommandName => CommandCatalog.Stats.Name;

    public static string LeaderboardCommandName => CommandCatalog.Leaderboard.Name;

    public const int LeaderboardSize = 10;
    private const int WeakestShown = 3;

    Task<CommandResult> ICommandHandler<StatsRequest>.HandleAsync(StatsRequest request, Caller caller, CancellationToken cancellationToken) =>
        StatsAsync(caller, cancellationToken);

    Task<CommandResult> ICommandHandler<LeaderboardRequest>.HandleAsync(LeaderboardRequest request, Caller caller, CancellationToken cancellationToken) =>
        LeaderboardAsync(caller, cancellationToken);

    public async Task<CommandResult> StatsAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        var history = await store.GetHistoryAsync(Learner.Of(caller), cancellationToken).ConfigureAwait(false);
        var streak = StreakDays(history.AnswerDays, DateOnly.FromDateTime(now.UtcDateTime));
        var weakest = history.Concepts
            .Where(score => score.Correct < score.Answered)
            .OrderBy(score => score.Accuracy).ThenByDescending(score => score.Answered - score.Correct)
            .Take(WeakestShown).ToList();
        var upcoming = history.Cards.Where(card => card.DueAt > now).OrderBy(card => card.DueAt).FirstOrDefault();
        var dueNow = history.Cards.Count(card => card.DueAt <= now);
        var accuracy = history.Answered == 0 ? 0 : (double)history.Correct / history.Answered;
        var outcome = new StatsShown(history.Answered, history.Correct, Math.Round(accuracy, 4), streak, weakest, upcoming?.DueAt, dueNow);

        if (history.Answered == 0)
        {
            return new CommandResult(StatsCommandName, new Reply
            {
                Title = "Your progress",
                Body = "You have not answered any questions yet. Start with `/quiz`!",
                Actions = [ReplyActions.NextQuestion(null, "Start a quiz")],
                Visibility = ReplyVisibility.OnlyCaller,
            }, outcome);
        }

        var body = new StringBuilder();
        if (weakest.Count > 0)
        {
            body.Append("**Weakest concepts**\n\n");
            foreach (var score in weakest)
            {
                var title = knowledge.Current.FindById(score.ConceptId)?.Title ?? score.ConceptId;
                body.Append(CultureInfo.InvariantCulture, $"- {MarkdownText.Escape(title)}: {score.Correct} of {score.Answered} right\n");
            }
        }
        else
        {
            body.Append("No weak spots so far: every answer was right.\n");
        }

        var next = dueNow > 0 ? $"{dueNow} due now" : upcoming is null ? "none" : QuizReplies.FormatTime(upcoming.DueAt);
        return new CommandResult(StatsCommandName, new Reply
        {
            Title = "Your progress",
            Body = body.ToString().TrimEnd(),
            Fields =
            [
                new ReplyField("Answered", history.Answered.ToString(CultureInfo.InvariantCulture)),
                new ReplyField("Correct", history.Correct.ToString(CultureInfo.InvariantCulture)),
                new ReplyField("Accuracy", QuizReplies.Percent(history.Correct, history.Answered)),
                new ReplyField("Streak", streak == 1 ? "1 day" : $"{streak} days"),
                new ReplyField("Next review", next),
            ],
            Actions = [.. weakest.Take(1).Select(score => ReplyActions.NextQuestion(score.ConceptId, "Practise my weakest")), ReplyActions.NextQuestion(null, dueNow > 0 ? "Review now" : "Quiz me")],
            Visibility = ReplyVisibility.OnlyCaller,
        }, outcome);
    }

    public async Task<CommandResult> LeaderboardAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var weekStart = StartOfWeek(time.GetUtcNow());
        var week = await store.GetLeaderboardAsync(caller.Platform, caller.Workspace, weekStart, LeaderboardSize, cancellationToken).ConfigureAwait(false);
        var allTime = await store.GetLeaderboardAsync(caller.Platform, caller.Workspace, null, LeaderboardSize, cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder();
        AppendBoard(body, $"This week (since {weekStart:yyyy-MM-dd})", week);
        body.Append('\n');
        AppendBoard(body, "All time", allTime);
        return new CommandResult(LeaderboardCommandName, new Reply { Title = "Leaderboard", Body = body.ToString().TrimEnd() }, new LeaderboardShown(week, allTime));
    }

    /// <summary>
    /// Consecutive days with an answer, ending today or yesterday: a streak is not lost before the
    /// day is over. Days are UTC dates so that every member of a server counts the same days.
    /// </summary>
    public static int StreakDays(IReadOnlyList<DateOnly> answerDaysNewestFirst, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(answerDaysNewestFirst);
        if (answerDaysNewestFirst.Count == 0 || answerDaysNewestFirst[0] < today.AddDays(-1))
        {
            return 0;
        }

        var streak = 1;
        for (var index = 1; index < answerDaysNewestFirst.Count && answerDaysNewestFirst[index] == answerDaysNewestFirst[index - 1].AddDays(-1); index++)
        {
            streak++;
        }

        return streak;
    }

    /// <summary>Monday 00:00 UTC of the ISO week containing <paramref name="now"/>.</summary>
    public static DateTimeOffset StartOfWeek(DateTimeOffset now)
    {
        var date = now.UtcDateTime.Date;
        var sinceMonday = ((int)date.DayOfWeek + 6) % 7;
        return new DateTimeOffset(date.AddDays(-sinceMonday), TimeSpan.Zero);
    }

    private static void AppendBoard(StringBuilder body, string heading, IReadOnlyList<LeaderboardEntry> entries)
    {
        body.Append(CultureInfo.InvariantCulture, $"**{heading}**\n\n");
        if (entries.Count == 0)
        {
            body.Append("No answers yet.\n");
            return;
        }

        for (var index = 0; index < entries.Count; index++)
        {
            var entry = entries[index];
            body.Append(CultureInfo.InvariantCulture,
                $"{index + 1}. {MarkdownText.Escape(TextClip.Clip(entry.Name, 40))}: {entry.Correct} correct of {entry.Answered} ({QuizReplies.Percent(entry.Correct, entry.Answered)})\n");
        }
    }
}
