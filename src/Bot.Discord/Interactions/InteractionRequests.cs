using System.Text.Json;
using Bot.Core;
using Bot.Core.Commands;

namespace Bot.Discord.Interactions;

/// <summary>Turns a slash command's options into the Core request it stands for, and the invoker into a <see cref="Caller"/>.</summary>
internal static class InteractionRequests
{
    public static Caller Caller(Interaction interaction)
    {
        var user = interaction.Invoker;
        var name = interaction.Member?.Nick ?? user?.GlobalName ?? user?.Username;
        // Guild-less interactions (DMs) share one leaderboard scope, so each DM user is not alone on a board.
        return new Caller(Platform.Discord, interaction.GuildId ?? "dm", interaction.ChannelId ?? "", user?.Id ?? "unknown", name);
    }

    /// <summary>
    /// What an application command's options ask for (a request, or how to fix the options), or null
    /// when this version does not know the command.
    /// </summary>
    public static ParsedCommand? Command(InteractionData data)
    {
        if (CommandCatalog.Find(data.Name) is not { } command || command.Name != data.Name)
        {
            return null;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in command.Options)
        {
            if (String(data, option.Name) is { } value)
            {
                options[option.Name] = value;
            }
        }

        return command.Build(options);
    }

    /// <summary>
    /// The action a component interaction stands for: a button's custom_id, or the value of the option
    /// chosen in a select menu (whose own custom_id only names the menu).
    /// </summary>
    public static string? ActionId(InteractionData? data) => data switch
    {
        { ComponentType: SelectMenuType, Values: [var chosen] } => chosen,
        { ComponentType: SelectMenuType } => null,
        _ => data?.CustomId,
    };

    private const int SelectMenuType = 3;

    /// <summary>The option the user is typing in, for autocomplete.</summary>
    public static InteractionOption? Focused(InteractionData data) => data.Options?.FirstOrDefault(option => option?.Focused == true);

    public static string? String(InteractionData data, string name) =>
        data.Options?.FirstOrDefault(option => option?.Name == name)?.Value is { ValueKind: JsonValueKind.String } value ? Text(value) : null;

    /// <summary>
    /// A string option's text. A value that is not valid UTF-16 (a lone surrogate escape) cannot be
    /// read; it is taken as one replacement character, so the command still answers, as it would
    /// for any text it does not know.
    /// </summary>
    public static string Text(JsonElement value)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "\uFFFD";
        }
    }
}
