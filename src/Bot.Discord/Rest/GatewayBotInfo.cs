using System.Text.Json.Serialization;

namespace Bot.Discord.Rest;

/// <summary>The answer of <c>GET /gateway/bot</c>.</summary>
public sealed record GatewayBotInfo(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("shards")] int Shards,
    [property: JsonPropertyName("session_start_limit")] SessionStartLimit SessionStartLimit);

/// <param name="ResetAfter">Milliseconds until <see cref="Remaining"/> is refilled.</param>
/// <param name="MaxConcurrency">Identifies allowed per 5 seconds.</param>
public sealed record SessionStartLimit(
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("remaining")] int Remaining,
    [property: JsonPropertyName("reset_after")] long ResetAfter,
    [property: JsonPropertyName("max_concurrency")] int MaxConcurrency);

/// <summary>Where the gateway client learns its URL; the REST client in production.</summary>
public interface IGatewayUrlSource
{
    Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken);
}
