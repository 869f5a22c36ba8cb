using System.Text.Json.Serialization;

namespace Bot.Discord.Rendering;

/// <summary>
/// The body of a Create Message call, of an interaction response's <c>data</c>, of a follow-up or of
/// an edit. Serialize it with <see cref="DiscordJson.Options"/>: absent fields are left out.
/// </summary>
public sealed record DiscordMessage
{
    public string? Content { get; init; }

    public IReadOnlyList<DiscordEmbed>? Embeds { get; init; }

    public IReadOnlyList<DiscordActionRow>? Components { get; init; }

    /// <summary>Always sent, <c>{"parse":[]}</c> by default: nothing the bot posts ever pings anyone.</summary>
    public DiscordAllowedMentions AllowedMentions { get; init; } = DiscordAllowedMentions.None;

    /// <summary><see cref="DiscordLimits.Ephemeral"/> for a message only the caller sees, otherwise absent.</summary>
    public int? Flags { get; init; }

    /// <summary>Set by the poster of a channel message to make a retried post idempotent.</summary>
    public string? Nonce { get; init; }

    public bool? EnforceNonce { get; init; }
}

public sealed record DiscordEmbed
{
    public string? Title { get; init; }

    public string? Description { get; init; }

    /// <summary>The colour of the embed's left border, as 0xRRGGBB.</summary>
    public int? Color { get; init; }

    public IReadOnlyList<DiscordEmbedField>? Fields { get; init; }

    public DiscordEmbedFooter? Footer { get; init; }
}

public sealed record DiscordEmbedField(string Name, string Value, bool Inline);

public sealed record DiscordEmbedFooter(string Text);

/// <summary>A row of up to <see cref="DiscordLimits.ButtonsPerRow"/> buttons, or one select menu (component type 1).</summary>
public sealed record DiscordActionRow(IReadOnlyList<DiscordComponent> Components)
{
    public int Type { get; } = 1;
}

/// <summary>What an action row holds; serialised as its concrete type.</summary>
[JsonDerivedType(typeof(DiscordButton))]
[JsonDerivedType(typeof(DiscordStringSelect))]
public abstract record DiscordComponent;

/// <summary>A button (component type 2): either <see cref="CustomId"/> (sent back on click) or, for links, <see cref="Url"/>.</summary>
public sealed record DiscordButton(DiscordButtonStyle Style, string Label, string? CustomId, string? Url = null) : DiscordComponent
{
    public int Type { get; } = 2;
}

/// <summary>A string select menu (component type 3); the chosen option's value comes back in the interaction's <c>data.values</c>.</summary>
public sealed record DiscordStringSelect(string CustomId, IReadOnlyList<DiscordSelectOption> Options, string? Placeholder) : DiscordComponent
{
    public int Type { get; } = 3;

    public int MinValues { get; } = 1;

    public int MaxValues { get; } = 1;
}

public sealed record DiscordSelectOption(string Label, string Value, string? Description);

public enum DiscordButtonStyle
{
    Primary = 1,
    Secondary = 2,
    Success = 3,
    Danger = 4,
    Link = 5,
}

/// <summary>Which mentions in the text may notify people; <see cref="None"/> lets none through.</summary>
public sealed record DiscordAllowedMentions(IReadOnlyList<string> Parse)
{
    public static DiscordAllowedMentions None { get; } = new([]);
}

/// <summary>
/// Discord's published message and component limits. Lengths are checked in UTF-16 code units, which
/// never undercounts Discord's own character count.
/// </summary>
public static class DiscordLimits
{
    public const int Content = 2000;
    public const int EmbedsPerMessage = 10;
    public const int EmbedTitle = 256;
    public const int EmbedDescription = 4096;
    public const int EmbedFields = 25;
    public const int FieldName = 256;
    public const int FieldValue = 1024;
    public const int FooterText = 2048;

    /// <summary>Title, description, field names and values and footer of all embeds of one message together.</summary>
    public const int EmbedTotal = 6000;
    public const int ActionRows = 5;
    public const int ButtonsPerRow = 5;
    public const int ButtonLabel = 80;
    public const int CustomId = 100;
    public const int SelectOptions = 25;
    public const int SelectOptionText = 100;
    public const int SelectPlaceholder = 150;

    /// <summary>The EPHEMERAL message flag (1 &lt;&lt; 6).</summary>
    public const int Ephemeral = 64;

    /// <summary>The text of <paramref name="embed"/> that counts towards <see cref="EmbedTotal"/>.</summary>
    public static int EmbedTextLength(DiscordEmbed embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        return (embed.Title?.Length ?? 0)
            + (embed.Description?.Length ?? 0)
            + (embed.Fields?.Sum(field => field.Name.Length + field.Value.Length) ?? 0)
            + (embed.Footer?.Text.Length ?? 0);
    }
}
