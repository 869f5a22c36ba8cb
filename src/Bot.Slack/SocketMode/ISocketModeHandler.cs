using System.Text.Json;

namespace Bot.Slack.SocketMode;

/// <summary>One Socket Mode envelope (<c>slash_commands</c>, <c>interactive</c>, <c>events_api</c>).</summary>
/// <param name="Payload">The same object the HTTP endpoint would receive; cloned, safe to keep.</param>
public sealed record SocketModeEnvelope(string EnvelopeId, string Type, JsonElement Payload, bool AcceptsResponsePayload, int? RetryAttempt, string? RetryReason);

/// <summary>Receives envelopes from the Socket Mode client.</summary>
public interface ISocketModeHandler
{
    /// <summary>
    /// Handles an envelope and returns what goes in its acknowledgement's <c>payload</c> (null for a bare ack).
    /// Slack expects the ack within 3 seconds, so slow work continues in the background after returning.
    /// </summary>
    Task<object?> HandleAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken);
}
