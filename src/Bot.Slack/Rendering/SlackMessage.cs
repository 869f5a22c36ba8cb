using System.Text.Json.Serialization;

namespace Bot.Slack.Rendering;

/// <summary>
/// The body of <c>chat.postMessage</c>, <c>chat.update</c>, a <c>response_url</c> post or a Socket
/// Mode acknowledgement payload. Serialize it with <see cref="SlackJson.Options"/>: absent fields are
/// left out, and so is an empty <see cref="Blocks"/> list.
/// </summary>
public sealed record SlackMessage
{
    /// <summary>
    /// The notification and screen-reader fallback, parsed as mrkdwn by Slack: always present, at most
    /// <see cref="SlackLimits.TextObject"/> characters, with <c>&amp; &lt; &gt;</c> escaped.
    /// </summary>
    public required string Text { get; init; }

    [JsonIgnore]
    public IReadOnlyList<SlackBlock> Blocks { get; init; } = [];

    /// <summary>"in_channel" or "ephemeral": only for slash-command and <c>response_url</c> replies; set by the pipeline.</summary>
    public string? ResponseType { get; init; }

    /// <summary>True to replace the message whose button was pressed (<c>response_url</c> only); set by the pipeline.</summary>
    public bool? ReplaceOriginal { get; init; }

    public string? Channel { get; init; }

    /// <summary>The message to edit, for <c>chat.update</c>.</summary>
    public string? Ts { get; init; }

    public string? ThreadTs { get; init; }

    public SlackMetadata? Metadata { get; init; }

    /// <summary>A message without blocks is sent as text alone, not with an empty <c>blocks</c> array.</summary>
    [JsonInclude]
    [JsonPropertyName("blocks")]
    private IReadOnlyList<SlackBlock>? SerializedBlocks
    {
        get => Blocks.Count > 0 ? Blocks : null;
        init => Blocks = value ?? [];
    }
}

/// <summary>Message metadata: a typed event the bot can find again in the channel history.</summary>
public sealed record SlackMetadata(string EventType, IReadOnlyDictionary<string, string> EventPayload);

/// <summary>A Block Kit layout block, written with its <c>type</c> first.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
public abstract record SlackBlock
{
    /// <summary>At most <see cref="SlackLimits.BlockId"/> characters, unique within the message; Slack makes one up when absent.</summary>
    public string? BlockId { get; init; }
}

/// <summary>Large bold plain text, at most <see cref="SlackLimits.HeaderText"/> characters.</summary>
public sealed record HeaderBlock(SlackText Text) : SlackBlock;

/// <summary>Text, two-column fields, or both.</summary>
public sealed record SectionBlock : SlackBlock
{
    public SlackText? Text { get; init; }

    public IReadOnlyList<SlackText>? Fields { get; init; }

    /// <summary>An element shown beside the text; here, a menu.</summary>
    public SlackStaticSelect? Accessory { get; init; }
}

/// <summary>Small grey text; at most <see cref="SlackLimits.ContextElements"/> elements.</summary>
public sealed record ContextBlock(IReadOnlyList<SlackText> Elements) : SlackBlock;

/// <summary>A row of at most <see cref="SlackLimits.ActionsElements"/> buttons.</summary>
public sealed record ActionsBlock(IReadOnlyList<SlackButton> Elements) : SlackBlock;

public sealed record DividerBlock : SlackBlock;

/// <summary>A text composition object.</summary>
public sealed record SlackText
{
    public const string PlainType = "plain_text";
    public const string MrkdwnType = "mrkdwn";

    /// <summary><see cref="PlainType"/> or <see cref="MrkdwnType"/>.</summary>
    public required string Type { get; init; }

    public required string Text { get; init; }

    /// <summary>
    /// Always true on mrkdwn: otherwise Slack turns bare names and channel words into mentions and
    /// links by itself. Absent on plain text, which has no such option.
    /// </summary>
    public bool? Verbatim { get; init; }

    /// <summary>Whether plain text shows <c>:emoji:</c> codes as emoji; absent on mrkdwn.</summary>
    public bool? Emoji { get; init; }

    /// <summary>mrkdwn text, already escaped by the caller, with <see cref="Verbatim"/> set.</summary>
    public static SlackText Mrkdwn(string text) => new() { Type = MrkdwnType, Text = text, Verbatim = true };

    /// <summary>Plain text, already escaped by the caller (Slack wants <c>&amp; &lt; &gt;</c> escaped in all text); no markup applies.</summary>
    public static SlackText Plain(string text) => new() { Type = PlainType, Text = text, Emoji = true };
}

/// <summary>A button: Slack sends <see cref="ActionId"/> and <see cref="Value"/> back in a <c>block_actions</c> payload.</summary>
public sealed record SlackButton(string ActionId, SlackText Text, string? Value = null, string? Style = null)
{
    public string Type { get; } = "button";
}

/// <summary>
/// A single-select menu of fixed options in labelled groups: Slack sends <see cref="ActionId"/> and the
/// chosen option's value (as <c>selected_option</c>) back in a <c>block_actions</c> payload.
/// </summary>
public sealed record SlackStaticSelect(string ActionId, SlackText Placeholder, IReadOnlyList<SlackOptionGroup> OptionGroups)
{
    public string Type { get; } = "static_select";
}

public sealed record SlackOptionGroup(SlackText Label, IReadOnlyList<SlackOption> Options);

/// <summary>A menu option; <see cref="Value"/> is what comes back when it is chosen.</summary>
public sealed record SlackOption(SlackText Text, string Value);

/// <summary>Block Kit's published limits for messages. Lengths are UTF-16 code units, which never undercount.</summary>
public static class SlackLimits
{
    public const int Blocks = 50;
    public const int SectionText = 3000;
    public const int SectionFields = 10;
    public const int FieldText = 2000;
    public const int HeaderText = 150;
    public const int ActionsElements = 25;
    public const int ContextElements = 10;
    public const int ButtonText = 75;
    public const int ButtonValue = 2000;
    public const int ActionId = 255;
    public const int BlockId = 255;
    public const int TextObject = 3000;
    public const int SelectOptions = 100;
    public const int OptionGroups = 100;
    public const int OptionText = 75;

    /// <summary>Slack's SDKs cap option values at 75 characters (the docs allow more); ours stay within the stricter figure.</summary>
    public const int OptionValue = 75;
    public const int GroupLabel = 75;
    public const int Placeholder = 150;
}
