using Bot.Slack.Interactions;

namespace Bot.Slack.SocketMode;

/// <summary>Socket Mode envelopes carry the same payloads as HTTP; they go through the same pipeline.</summary>
internal sealed class SlackSocketModeHandler(SlackPipeline pipeline) : ISocketModeHandler
{
    public Task<object?> HandleAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.Type switch
        {
            "slash_commands" => pipeline.SlashCommandAsync(SlackSlashCommand.FromJson(envelope.Payload), cancellationToken),
            "interactive" => pipeline.InteractionAsync(SlackInteraction.FromJson(envelope.Payload), cancellationToken),
            _ => Task.FromResult<object?>(null),
        };
    }
}
