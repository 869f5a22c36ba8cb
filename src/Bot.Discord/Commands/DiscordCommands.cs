using System.Text.Json.Serialization;
using Bot.Core.Commands;

namespace Bot.Discord.Commands;

/// <summary>The slash commands the bot registers: Core's <see cref="CommandCatalog"/> as Discord's bulk-overwrite endpoint takes it.</summary>
public static class DiscordCommands
{
    private const int StringType = 3;

    /// <summary>Discord caps string options at 6000 characters; our own regex limits are checked by Core.</summary>
    private const int MaxStringOption = 6000;

    public static IReadOnlyList<ApplicationCommand> All { get; } =
        [.. CommandCatalog.All.Select(command => new ApplicationCommand(command.Name, command.Description, command.Options.Count == 0 ? null : [.. command.Options.Select(Option)]))];

    private static CommandOption Option(Core.Commands.CommandOption option) => new(
        StringType,
        option.Name,
        option.Description,
        Required: option.Required ? true : null,
        Autocomplete: option.Autocomplete ? true : null,
        MaxLength: option.Choices is null ? Math.Min(option.MaxLength ?? MaxStringOption, MaxStringOption) : null,
        Choices: option.Choices?.Select(choice => new CommandChoice(choice.Name, choice.Value)).ToList());

    /// <summary>View Channel, Send Messages, Embed Links and Read Message History: what posting and finding daily quizzes needs.</summary>
    public const long RequiredPermissions = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 16);

    /// <summary>The URL that adds the bot to a server with its scopes and permissions.</summary>
    public static Uri InviteUrl(string applicationId) =>
        new($"https://discord.com/oauth2/authorize?client_id={Uri.EscapeDataString(applicationId)}&scope=bot%20applications.commands&permissions={RequiredPermissions}");
}

/// <summary>A CHAT_INPUT (slash) command as the bulk-overwrite endpoint takes it.</summary>
public sealed record ApplicationCommand(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("options")] IReadOnlyList<CommandOption>? Options = null)
{
    [JsonPropertyName("type")]
    public int Type => 1;
}

public sealed record CommandOption(
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("required")] bool? Required = null,
    [property: JsonPropertyName("autocomplete")] bool? Autocomplete = null,
    [property: JsonPropertyName("max_length")] int? MaxLength = null,
    [property: JsonPropertyName("choices")] IReadOnlyList<CommandChoice>? Choices = null);

public sealed record CommandChoice([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("value")] string Value);
