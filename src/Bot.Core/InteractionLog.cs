using Microsoft.Extensions.Logging;

namespace Bot.Core;

/// <summary>
/// The one log line every interaction ends with, the same shape on every platform, for operators to
/// search and count: the platform's interaction id, the command, how it ended and how it was delivered,
/// and how long it took. Callers clean the id and command with <see cref="LogText.Clean"/>; nothing
/// secret (tokens, response URLs) or typed by the user goes in.
/// </summary>
public static partial class InteractionLog
{
    /// <summary>How the answer reached the platform.</summary>
    public static class Delivery
    {
        /// <summary>In the initial response or acknowledgement.</summary>
        public const string Answered = "answered";

        /// <summary>After a deferral: an edit, a follow-up or a post to a response URL.</summary>
        public const string Deferred = "deferred";

        /// <summary>The platform's side could not be reached or refused the answer.</summary>
        public const string NotDelivered = "not delivered";

        /// <summary>A redelivery of an interaction already answered, left alone.</summary>
        public const string Duplicate = "duplicate";
    }

    [LoggerMessage(EventId = 1000, EventName = "Interaction", Level = LogLevel.Information,
        Message = "{Platform} interaction {InteractionId}: {Command} {Outcome}, {Delivery} in {ElapsedMs:0.0} ms")]
    public static partial void Write(ILogger logger, Platform platform, string interactionId, string command, string outcome, string delivery, double elapsedMs);
}
