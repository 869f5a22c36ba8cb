using System.Text.Json;
using Bot.Adapters;
using Bot.Core;
using Bot.Discord.Interactions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// Takes <c>INTERACTION_CREATE</c> off the gateway and answers it through the interaction pipeline by
/// HTTP callback, in the background so the read loop keeps heartbeating. An interaction replayed after
/// a resume is answered once.
/// </summary>
public sealed partial class InteractionDispatchHandler(
    InteractionPipeline pipeline,
    IDiscordInteractionApi api,
    InFlightWork inFlight,
    IHostApplicationLifetime lifetime,
    ILogger<InteractionDispatchHandler> logger) : IGatewayDispatchHandler
{
    public const string InteractionCreate = "INTERACTION_CREATE";

    /// <summary>Interaction tokens live 15 minutes; remembering this many ids covers any replay window many times over.</summary>
    private const int RememberedIds = 4096;

    private readonly RecentKeys _seen = new(RememberedIds);

    public ValueTask OnDispatchAsync(string eventName, JsonElement data, CancellationToken cancellationToken)
    {
        if (eventName != InteractionCreate)
        {
            return ValueTask.CompletedTask;
        }

        Interaction? interaction;
        try
        {
            interaction = data.Deserialize<Interaction>(DiscordJson.Options);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: no "d" at all (an undefined element), or text that is not valid UTF-16.
            LogUnreadable(exception);
            return ValueTask.CompletedTask;
        }

        if (interaction is not { IsAnswerable: true })
        {
            LogUnanswerable();
            return ValueTask.CompletedTask;
        }

        if (!_seen.Add(interaction.Id))
        {
            return ValueTask.CompletedTask;
        }

        // Not the gateway's token: a reconnect must not abandon an answer half-way; only shutdown's drain bounds it.
        inFlight.Track(Task.Run(() => pipeline.HandleAsync(interaction, new CallbackResponder(api, interaction), lifetime.ApplicationStopped), CancellationToken.None));
        return ValueTask.CompletedTask;
    }

    private sealed class CallbackResponder(IDiscordInteractionApi api, Interaction interaction) : IInitialResponder
    {
        public Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken) =>
            api.CreateInteractionResponseAsync(interaction.Id, interaction.Token, response, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gateway INTERACTION_CREATE without an id or token: it cannot be answered, so it is dropped")]
    private partial void LogUnanswerable();

    [LoggerMessage(Level = LogLevel.Warning, Message = "An INTERACTION_CREATE event could not be read; it was skipped")]
    private partial void LogUnreadable(Exception exception);
}
