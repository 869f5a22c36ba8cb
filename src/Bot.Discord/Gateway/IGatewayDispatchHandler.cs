using System.Text.Json;

namespace Bot.Discord.Gateway;

/// <summary>Receives gateway Dispatch events (op 0), e.g. <c>INTERACTION_CREATE</c>.</summary>
public interface IGatewayDispatchHandler
{
    /// <summary>
    /// Called on the gateway's read loop, once per event (replays after a resume included). Must return
    /// quickly: slow work goes to the background, or heartbeats would stall.
    /// </summary>
    /// <param name="data">The event's <c>d</c>; valid only during the call (clone it to keep it).</param>
    ValueTask OnDispatchAsync(string eventName, JsonElement data, CancellationToken cancellationToken);
}
