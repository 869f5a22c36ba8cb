using System.Text.Json;

namespace Bot.Discord.Interactions;

/// <summary>Interaction types Discord sends.</summary>
public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>Interaction response (callback) types.</summary>
public enum InteractionCallbackType
{
    Pong = 1,
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    DeferredUpdateMessage = 6,
    UpdateMessage = 7,
    ApplicationCommandAutocompleteResult = 8,
}

/// <summary>The fields of an interaction this bot reads; the same object arrives over HTTP and the gateway.</summary>
public sealed record Interaction
{
    public required string Id { get; init; }

    public required string ApplicationId { get; init; }

    public required InteractionType Type { get; init; }

    /// <summary>Secret for 15 minutes: it authorises the callback and webhook edits. Never log it.</summary>
    public required string Token { get; init; }

    public string? GuildId { get; init; }

    public string? ChannelId { get; init; }

    /// <summary>Present in guilds; <see cref="User"/> is present in DMs.</summary>
    public InteractionMember? Member { get; init; }

    public DiscordUser? User { get; init; }

    public InteractionData? Data { get; init; }

    /// <summary>The message a component was on.</summary>
    public InteractionMessage? Message { get; init; }

    public DiscordUser? Invoker => Member?.User ?? User;

    /// <summary>Whether it can be answered at all: the callback needs its id and token, which a malformed payload may lack.</summary>
    public bool IsAnswerable => !string.IsNullOrWhiteSpace(Id) && !string.IsNullOrWhiteSpace(Token);
}

public sealed record InteractionMember(DiscordUser? User, string? Nick);

public sealed record DiscordUser(string Id, string? Username, string? GlobalName);

public sealed record InteractionMessage(string Id);

/// <summary>Command data (name, options) or component data (custom_id; values for a select menu).</summary>
public sealed record InteractionData
{
    public string? Name { get; init; }

    public IReadOnlyList<InteractionOption>? Options { get; init; }

    public string? CustomId { get; init; }

    public int? ComponentType { get; init; }

    /// <summary>The values of the options chosen in a select menu (component type 3).</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>A command option; <see cref="Value"/> is a string, integer, number or boolean by its type.</summary>
public sealed record InteractionOption
{
    public required string Name { get; init; }

    public int Type { get; init; }

    public JsonElement? Value { get; init; }

    public IReadOnlyList<InteractionOption>? Options { get; init; }

    public bool? Focused { get; init; }
}
