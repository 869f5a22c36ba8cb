using System.Text.Json.Serialization;

namespace Bot.Discord.Interactions;

/// <summary>An interaction response (callback) as Discord expects it: a type and, for most types, data.</summary>
public sealed record InteractionResponse(
    [property: JsonPropertyName("type")] InteractionCallbackType Type,
    [property: JsonPropertyName("data")] object? Data = null)
{
    public static InteractionResponse Pong { get; } = new(InteractionCallbackType.Pong);
}

/// <summary><c>data</c> of an autocomplete result (type 8): at most 25 choices.</summary>
public sealed record AutocompleteData([property: JsonPropertyName("choices")] IReadOnlyList<AutocompleteChoice> Choices);

public sealed record AutocompleteChoice([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("value")] string Value);

/// <summary><c>data</c> of a deferred response (type 5): only the ephemeral flag is allowed.</summary>
public sealed record DeferredData([property: JsonPropertyName("flags")] int? Flags);

/// <summary>How the initial response travels: inline as the HTTP answer, or by the callback endpoint.</summary>
public interface IInitialResponder
{
    Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken);
}
