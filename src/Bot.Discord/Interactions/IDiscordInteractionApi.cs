using Bot.Discord.Rest;

namespace Bot.Discord.Interactions;

/// <summary>The interaction endpoints of Discord's REST API: the callback, then edits and follow-ups by token.</summary>
public interface IDiscordInteractionApi
{
    /// <summary><c>POST /interactions/{id}/{token}/callback</c>: the initial response, once, within 3 seconds.</summary>
    Task CreateInteractionResponseAsync(string interactionId, string interactionToken, object response, CancellationToken cancellationToken);

    /// <summary><c>PATCH /webhooks/{application_id}/{token}/messages/@original</c>.</summary>
    Task<DiscordMessageRef> EditOriginalResponseAsync(string interactionToken, object message, CancellationToken cancellationToken);

    /// <summary><c>DELETE /webhooks/{application_id}/{token}/messages/@original</c>.</summary>
    Task DeleteOriginalResponseAsync(string interactionToken, CancellationToken cancellationToken);

    /// <summary><c>POST /webhooks/{application_id}/{token}</c>; returns the new message's id.</summary>
    Task<string> CreateFollowupAsync(string interactionToken, object message, CancellationToken cancellationToken);
}
