using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack;

/// <summary>Slack's JSON conventions: snake_case names, absent rather than null optional fields.</summary>
public static class SlackJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
