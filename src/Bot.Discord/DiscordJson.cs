using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Discord;

/// <summary>Discord's JSON conventions: snake_case names, absent rather than null optional fields.</summary>
public static class DiscordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}
