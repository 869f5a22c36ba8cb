using Bot.Core.Explain;

namespace Bot.Core.Quiz;

/// <summary>A question was shown with answer buttons.</summary>
public sealed record QuizQuestionShown(long InstanceId, string QuestionId, string ConceptId, PickReason Reason, IReadOnlyList<string> Choices) : CommandOutcome;

/// <summary>
/// An answer button was pressed. <see cref="Counted"/> is false when the learner had answered before
/// (then <see cref="Choice"/> is the first answer, which is the one that counts). <see cref="Correct"/>
/// is null for a daily question that is not revealed yet.
/// </summary>
public sealed record QuizAnswered(long InstanceId, string QuestionId, string ConceptId, int Choice, bool? Correct, bool Counted) : CommandOutcome;

/// <summary>No question could be asked (unknown topic, no questions); the reply says why.</summary>
public sealed record QuizUnavailable(IReadOnlyList<ConceptRef> Suggestions) : CommandOutcome;

public sealed record StatsShown(int Answered, int Correct, double Accuracy, int StreakDays, IReadOnlyList<ConceptScore> Weakest, DateTimeOffset? NextReviewAt, int DueNow) : CommandOutcome;

public sealed record LeaderboardShown(IReadOnlyList<LeaderboardEntry> ThisWeek, IReadOnlyList<LeaderboardEntry> AllTime) : CommandOutcome;
