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
/// exception means "not posted" and the scheduler retries with backoff, except for a
/// <see cref="PermanentPublishException"/>, which gives the post up at once.
/// </summary>
public interface IDailyQuizPublisher
{
    Platform Platform { get; }

    /// <summary>
    /// Posts <paramref name="question"/> for <paramref name="slot"/> and returns the platform's id for the
    /// message. Called again for the same slot after a crash or a failed attempt, it must find the post
    /// the platform already accepted rather than post twice.
    /// </summary>
    Task<string> PostAsync(ChannelTarget target, DateTimeOffset slot, Reply question, CancellationToken cancellationToken);

    /// <summary>Publishes the answer and results: by editing <paramref name="messageId"/> or replying to it.</summary>
    Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken);
}

/// <summary>The platform refused the post for a reason retrying cannot fix; the message says what to fix.</summary>
public sealed class PermanentPublishException(string message, Exception? innerException = null) : Exception(message, innerException);
