namespace Bot.Host.Daily;

public enum DailyPostState
{
    /// <summary>Claimed by <see cref="DailyPost.Owner"/>; not yet accepted by the platform.</summary>
    Claimed,

    /// <summary>On the platform; waiting for its reveal time.</summary>
    Posted,

    /// <summary>The answer and results are published.</summary>
    Revealed,

    /// <summary>Every attempt failed until the reveal time; logged as an error.</summary>
    Abandoned,
}

/// <summary>One daily-quiz slot of one target, as the database holds it.</summary>
internal sealed record DailyPost(
    string Target,
    DateTimeOffset Slot,
    string QuestionId,
    long? InstanceId,
    DailyPostState State,
    string Owner,
    DateTimeOffset LeaseUntil,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    string? MessageId,
    DateTimeOffset RevealAt);

internal sealed record DailyClaim(string Target, DateTimeOffset Slot, string QuestionId, string Owner, DateTimeOffset ClaimedAt, DateTimeOffset LeaseUntil, DateTimeOffset RevealAt);

/// <summary>
/// The daily quiz's claims. A (target, slot) row is inserted at most once, so whoever inserts it owns
/// the post; a lease lets another process take over the work of one that died mid-way.
/// </summary>
internal interface IDailyPostStore
{
    Task<IReadOnlyList<string>> PostedQuestionIdsAsync(string target, CancellationToken cancellationToken);

    Task<bool> HasSlotAsync(string target, DateTimeOffset slot, CancellationToken cancellationToken);

    /// <summary>True when this call created the row, i.e. the caller must send the post.</summary>
    Task<bool> TryClaimSlotAsync(DailyClaim claim, CancellationToken cancellationToken);

    /// <summary>Posts to send or reveal now: the owner's own, and any whose owner's lease ran out.</summary>
    Task<IReadOnlyList<DailyPost>> DuePostsAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextWorkAtAsync(CancellationToken cancellationToken);

    /// <summary>Takes or renews the lease on a post still in the state it was read in; false if someone else holds it.</summary>
    Task<bool> TryTakeAsync(DailyPost post, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    Task SetInstanceAsync(DailyPost post, long instanceId, CancellationToken cancellationToken);

    Task AdvanceAsync(DailyPost post, DailyPostState state, string? messageId, DateTimeOffset now, CancellationToken cancellationToken);

    Task RecordFailureAsync(DailyPost post, int attempts, DateTimeOffset nextAttemptAt, string error, bool abandon, CancellationToken cancellationToken);

    Task<IReadOnlyList<DailyPost>> PostsAsync(string target, CancellationToken cancellationToken);
}
