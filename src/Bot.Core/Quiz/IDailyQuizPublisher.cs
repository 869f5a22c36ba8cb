using Bot.Core.Replies;

namespace Bot.Core.Quiz;

/// <summary>A channel the daily quiz posts to.</summary>
public sealed record ChannelTarget(Platform Platform, string Workspace, string Channel)
{
    /// <summary>The target's key in the database, e.g. <c>discord:123:456</c>.</summary>
    public string Key => $"{Platform.ToString().ToLowerInvariant()}:{Workspace}:{Channel}";
}

/// <summary>
/// Posts the daily question and its reveal on one platform. Each adapter implements it; a thrown
/// exception means "not posted" and the scheduler retries with backoff.
/// </summary>
public interface IDailyQuizPublisher
{
    Platform Platform { get; }

    /// <summary>Posts <paramref name="question"/> and returns the platform's id for the message.</summary>
    Task<string> PostAsync(ChannelTarget target, Reply question, CancellationToken cancellationToken);

    /// <summary>Publishes the answer and results: by editing <paramref name="messageId"/> or replying to it.</summary>
    Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken);
}
