using Bot.Core.Knowledge;

namespace Bot.Core.Quiz;

/// <summary>A person on one platform and workspace; scores, streaks and reviews belong to it.</summary>
public sealed record Learner(Platform Platform, string Workspace, string User)
{
    public static Learner Of(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new Learner(caller.Platform, caller.Workspace, caller.User);
    }
}

public enum QuizInstanceKind
{
    /// <summary>Asked by <c>/quiz</c> for one learner; answering shows the result at once.</summary>
    Practice,

    /// <summary>Posted to a channel by the daily quiz; results are revealed later to everyone.</summary>
    Daily,
}

/// <summary>
/// One showing of a question: the message with the answer buttons. It keeps the answer as it was when
/// shown, so an edit to the content never changes how existing answers are graded.
/// </summary>
public sealed record QuizInstance(
    long Id,
    QuizInstanceKind Kind,
    string QuestionId,
    string ConceptId,
    int CorrectIndex,
    int ChoiceCount,
    Platform Platform,
    string Workspace,
    string Channel,
    string? Owner,
    string? Topic,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevealAt);

public sealed record NewQuizInstance(
    QuizInstanceKind Kind,
    QuizQuestion Question,
    Platform Platform,
    string Workspace,
    string Channel,
    string? Owner,
    string? Topic,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevealAt);

/// <summary>A learner's first answer to an instance; <see cref="IsNew"/> is false when it was recorded before.</summary>
public sealed record AnswerRecord(int Choice, bool Correct, DateTimeOffset AnsweredAt, bool IsNew);

/// <summary>The review schedule of one question for one learner.</summary>
public sealed record ReviewCard(
    string QuestionId,
    string ConceptId,
    int Repetitions,
    double IntervalDays,
    double Ease,
    int Lapses,
    DateTimeOffset LastAnsweredAt,
    DateTimeOffset DueAt);

public sealed record ConceptScore(string ConceptId, int Answered, int Correct)
{
    public double Accuracy => Answered == 0 ? 0 : (double)Correct / Answered;
}

/// <summary>Everything <c>/stats</c> needs, read in one go.</summary>
/// <param name="AnswerDays">Distinct UTC dates with at least one answer, newest first.</param>
public sealed record LearnerHistory(int Answered, int Correct, IReadOnlyList<ConceptScore> Concepts, IReadOnlyList<DateOnly> AnswerDays, IReadOnlyList<ReviewCard> Cards);

public sealed record LeaderboardEntry(string Name, int Answered, int Correct);

/// <summary>How an instance was answered, for the daily quiz's reveal.</summary>
public sealed record AnswerTally(int Answers, int Correct, IReadOnlyList<int> PerChoice);

/// <summary>Quiz persistence. Core defines it; the host implements it (SQLite).</summary>
public interface IQuizStore
{
    Task<QuizInstance> CreateInstanceAsync(NewQuizInstance instance, CancellationToken cancellationToken);

    Task<QuizInstance?> FindInstanceAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Records <paramref name="choice"/> unless the learner already answered this instance, and on a
    /// new answer moves the learner's review card with <see cref="SpacedRepetition.Next"/>, atomically.
    /// Returns the answer that counts: the first one.
    /// </summary>
    Task<AnswerRecord> RecordAnswerAsync(QuizInstance instance, Learner learner, string displayName, int choice, DateTimeOffset answeredAt, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReviewCard>> GetReviewCardsAsync(Learner learner, CancellationToken cancellationToken);

    Task<LearnerHistory> GetHistoryAsync(Learner learner, CancellationToken cancellationToken);

    /// <summary>The best learners of a workspace by correct answers since <paramref name="since"/> (null: all time).</summary>
    Task<IReadOnlyList<LeaderboardEntry>> GetLeaderboardAsync(Platform platform, string workspace, DateTimeOffset? since, int limit, CancellationToken cancellationToken);

    Task<AnswerTally> GetTallyAsync(QuizInstance instance, CancellationToken cancellationToken);
}
