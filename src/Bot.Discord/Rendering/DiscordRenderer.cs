using System.Runtime.CompilerServices;
using System.Text;
using Bot.Core;
using Bot.Core.Rendering;
using Bot.Core.Replies;

namespace Bot.Discord.Rendering;

/// <summary>
/// Turns a <see cref="Reply"/> into Discord messages: one embed per part of the body (title on the
/// first, colour by tone, fields on the last), select menus for a menu and buttons for actions, every
/// Discord limit respected.
/// </summary>
/// <remarks>
/// Buttons: answers to a quiz question are primary (the choice the message asks for); every other
/// action (explain, next question, list) is secondary. An action whose id is empty, longer than
/// <see cref="DiscordLimits.CustomId"/> or a repeat of an earlier id is left out, because Discord
/// would reject the whole message for it.
/// Menus: a select holds 25 options, so a menu becomes selects of whole groups packed in order (a group
/// of more than 25 is split); each select takes a row, the menus' rows come before the buttons' and
/// rows beyond the 5 a message holds follow in messages of their own.
/// </remarks>
public static class DiscordRenderer
{
    /// <summary>Left border colours by tone: blue, green, amber, red.</summary>
    public const int InfoColor = 0x3B82F6;
    public const int SuccessColor = 0x22C55E;
    public const int WarningColor = 0xF59E0B;
    public const int ErrorColor = 0xEF4444;

    /// <summary>Added to the title of embeds that carry on a reply in a later message.</summary>
    public const string ContinuedSuffix = " (continued)";

    /// <summary>Discord rejects empty field names and values; a zero-width space shows as nothing.</summary>
    private const string Blank = "\u200B";

    /// <summary>
    /// The messages that carry a reply, in order; the first answers the interaction (or is the
    /// channel post), the rest are follow-ups. Almost always exactly one.
    /// </summary>
    public static IReadOnlyList<DiscordMessage> Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        // Replies are immutable and Core hands out the same instance for the same concept, so the
        // Markdown walk (the costliest step of an /explain answer) runs once per reply, not per request.
        return Rendered.GetValue(reply, RenderUncached);
    }

    private static readonly ConditionalWeakTable<Reply, IReadOnlyList<DiscordMessage>> Rendered = [];

    private static IReadOnlyList<DiscordMessage> RenderUncached(Reply reply)
    {
        var title = TextClip.Clip(reply.Title.Trim(), DiscordLimits.EmbedTitle);
        var continuedTitle = title.Length == 0 ? null : TextClip.Clip(title, DiscordLimits.EmbedTitle - ContinuedSuffix.Length) + ContinuedSuffix;
        var color = ColorOf(reply.Tone);
        int? flags = reply.Visibility == ReplyVisibility.OnlyCaller ? DiscordLimits.Ephemeral : null;

        var packer = new EmbedPacker(title.Length == 0 ? null : title, continuedTitle, color);
        foreach (var unit in TextUnits(reply))
        {
            packer.AddText(unit);
        }

        foreach (var field in reply.Fields.SelectMany(Fields))
        {
            packer.AddField(field);
        }

        var messages = packer.Finish()
            .Select(embeds => new DiscordMessage { Embeds = embeds, Flags = flags })
            .ToList();
        var rows = Selects(reply.Menu)
            .Concat(Buttons(reply.Actions).Chunk(DiscordLimits.ButtonsPerRow))
            .Select(components => new DiscordActionRow(components))
            .Chunk(DiscordLimits.ActionRows)
            .ToList();
        for (var page = 0; page < rows.Count; page++)
        {
            if (page == 0)
            {
                messages[^1] = messages[^1] with { Components = rows[page] };
            }
            else
            {
                // Rows beyond what one message holds follow, under the reply's title.
                messages.Add(continuedTitle is null
                    ? new DiscordMessage { Content = "…", Components = rows[page], Flags = flags }
                    : new DiscordMessage { Embeds = [new DiscordEmbed { Title = continuedTitle, Color = color }], Components = rows[page], Flags = flags });
            }
        }

        return messages;
    }

    /// <summary>A short plain-text notice (a failure of the pipeline, a refusal) as one message.</summary>
    public static DiscordMessage Notice(string text, ReplyVisibility visibility = ReplyVisibility.OnlyCaller)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return new DiscordMessage
        {
            Content = TextClip.Clip(text.Trim(), DiscordLimits.Content),
            Flags = visibility == ReplyVisibility.OnlyCaller ? DiscordLimits.Ephemeral : null,
        };
    }

    public static int ColorOf(ReplyTone tone) => tone switch
    {
        ReplyTone.Success => SuccessColor,
        ReplyTone.Warning => WarningColor,
        ReplyTone.Error => ErrorColor,
        _ => InfoColor,
    };

    private static IEnumerable<string> TextUnits(Reply reply)
    {
        var summary = string.Join(' ', (reply.Summary ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (summary.Length > 0)
        {
            // Italic unless the summary's own asterisks would tangle with the markers.
            yield return summary.Contains('*', StringComparison.Ordinal) ? summary : "*" + summary + "*";
        }

        foreach (var block in DiscordMarkdown.Blocks(reply.Body))
        {
            yield return block;
        }
    }

    /// <summary>A field, or several when its value is longer than Discord allows in one.</summary>
    private static IEnumerable<DiscordEmbedField> Fields(ReplyField field)
    {
        var name = TextClip.Clip(field.Name.Trim(), DiscordLimits.FieldName);
        name = name.Length == 0 ? Blank : name;
        var value = field.Value.Trim();
        if (value.Length <= DiscordLimits.FieldValue)
        {
            yield return new DiscordEmbedField(name, value.Length == 0 ? Blank : value, field.Inline);
            yield break;
        }

        var continuedName = TextClip.Clip(name, DiscordLimits.FieldName - ContinuedSuffix.Length) + ContinuedSuffix;
        var first = true;
        foreach (var part in MarkdownSplitter.Split(value, DiscordLimits.FieldValue))
        {
            yield return new DiscordEmbedField(first ? name : continuedName, part, field.Inline);
            first = false;
        }
    }

    /// <summary>One single-select row per 25 options, each holding whole groups where they fit.</summary>
    private static IEnumerable<DiscordComponent[]> Selects(ReplyMenu? menu)
    {
        if (menu is null)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = menu.Groups
            .Select(group => (group.Label, Options: group.Options.Where(option => option.ActionId.Length is > 0 and <= DiscordLimits.SelectOptionText && seen.Add(option.ActionId)).ToList()))
            .Where(group => group.Options.Count > 0)
            .SelectMany(group => group.Options.Count <= DiscordLimits.SelectOptions
                ? [(group.Label, group.Options)]
                : group.Options.Chunk(DiscordLimits.SelectOptions).Select((chunk, index) => ($"{group.Label} ({index + 1})", chunk.ToList())));

        var packed = new List<(string Label, List<ReplyMenuOption> Options)>();
        var selects = 0;
        foreach (var part in parts)
        {
            if (packed.Sum(entry => entry.Options.Count) + part.Item2.Count > DiscordLimits.SelectOptions)
            {
                yield return [Select(packed, ++selects)];
                packed.Clear();
            }

            packed.Add(part);
        }

        if (packed.Count > 0)
        {
            yield return [Select(packed, ++selects)];
        }

        // The custom_id only has to be unique in the message: the chosen option's value is the action.
        static DiscordStringSelect Select(List<(string Label, List<ReplyMenuOption> Options)> groups, int number) => new(
            $"menu:{number}",
            [.. groups.SelectMany(group => group.Options).Select(option => new DiscordSelectOption(
                NonEmpty(TextClip.Clip(option.Label.Trim(), DiscordLimits.SelectOptionText), option.ActionId),
                option.ActionId,
                option.Description is { } description && description.Trim().Length > 0 ? TextClip.Clip(description.Trim(), DiscordLimits.SelectOptionText) : null))],
            TextClip.Clip(string.Join(" · ", groups.Select(group => group.Label.Trim())), DiscordLimits.SelectPlaceholder));
    }

    private static string NonEmpty(string label, string fallback) => label.Length > 0 ? label : TextClip.Clip(fallback, DiscordLimits.SelectOptionText);

    private static IEnumerable<DiscordButton> Buttons(IReadOnlyList<ReplyAction> actions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.Id.Length is 0 or > DiscordLimits.CustomId || !seen.Add(action.Id))
            {
                continue;
            }

            var label = TextClip.Clip(action.Label.Trim(), DiscordLimits.ButtonLabel);
            var style = ReplyActions.Parse(action.Id) is QuizAnswerRequest ? DiscordButtonStyle.Primary : DiscordButtonStyle.Secondary;
            yield return new DiscordButton(style, label.Length == 0 ? TextClip.Clip(action.Id, DiscordLimits.ButtonLabel) : label, action.Id);
        }
    }

    /// <summary>
    /// Fills embeds and messages in order. Text goes into the open embed while it fits both the
    /// description limit and the message's 6000-character budget; a block that does not fit moves
    /// whole to a fresh embed or message, and only a block too long for any embed is split.
    /// </summary>
    private sealed class EmbedPacker
    {
        /// <summary>Below this, splitting a block into what is left of a message makes a stub; start afresh instead.</summary>
        private const int MinimumSplitRoom = 500;

        private const string BlockSeparator = "\n\n";

        private readonly string? _firstTitle;
        private readonly string? _continuedTitle;
        private readonly int _color;
        private readonly List<IReadOnlyList<DiscordEmbed>> _messages = [];
        private readonly StringBuilder _description = new();
        private readonly List<DiscordEmbedField> _fields = [];
        private List<DiscordEmbed> _embeds = [];
        private string? _title;

        /// <summary>Embed text of the current message, the open embed included.</summary>
        private int _used;

        private bool OpenEmbedHasContent => _description.Length > 0 || _fields.Count > 0;

        private bool MessageHasContent => _embeds.Count > 0 || OpenEmbedHasContent;

        private int SeparatorLength => _description.Length > 0 ? BlockSeparator.Length : 0;

        private int OpenEmbedRoom =>
            Math.Min(DiscordLimits.EmbedDescription - _description.Length, DiscordLimits.EmbedTotal - _used) - SeparatorLength;

        /// <summary>Room for a description in a new embed of this message, after the open one.</summary>
        private int NextEmbedRoom =>
            _embeds.Count + 2 <= DiscordLimits.EmbedsPerMessage ? Math.Min(DiscordLimits.EmbedDescription, DiscordLimits.EmbedTotal - _used) : 0;

        public EmbedPacker(string? title, string? continuedTitle, int color)
        {
            _firstTitle = title;
            _continuedTitle = continuedTitle;
            _color = color;
            _title = title;
            _used = title?.Length ?? 0;
        }

        public void AddText(string unit)
        {
            var pending = new Stack<string>();
            pending.Push(unit);
            while (pending.TryPop(out var text))
            {
                if (text.Length <= OpenEmbedRoom)
                {
                    Append(text);
                }
                else if (OpenEmbedHasContent && text.Length <= NextEmbedRoom)
                {
                    CloseEmbed();
                    pending.Push(text);
                }
                else if (MessageHasContent && text.Length <= DiscordLimits.EmbedDescription)
                {
                    CloseMessage();
                    pending.Push(text);
                }
                else if (OpenEmbedRoom >= MinimumSplitRoom)
                {
                    var room = OpenEmbedRoom;
                    // Pieces only guards the limit, should a split ever return a piece longer than asked for.
                    var parts = MarkdownSplitter.Split(text, room).SelectMany(part => TextClip.Pieces(part, room)).ToList();
                    for (var index = parts.Count - 1; index >= 0; index--)
                    {
                        pending.Push(parts[index]);
                    }
                }
                else
                {
                    if (OpenEmbedHasContent && NextEmbedRoom >= MinimumSplitRoom)
                    {
                        CloseEmbed();
                    }
                    else
                    {
                        CloseMessage();
                    }

                    pending.Push(text);
                }
            }
        }

        public void AddField(DiscordEmbedField field)
        {
            var cost = field.Name.Length + field.Value.Length;
            if (_fields.Count < DiscordLimits.EmbedFields && _used + cost <= DiscordLimits.EmbedTotal)
            {
                // Fits on the open embed: the last one.
            }
            else if (_embeds.Count + 2 <= DiscordLimits.EmbedsPerMessage && _used + cost <= DiscordLimits.EmbedTotal)
            {
                CloseEmbed();
            }
            else
            {
                CloseMessage();
            }

            _fields.Add(field);
            _used += cost;
        }

        public List<IReadOnlyList<DiscordEmbed>> Finish()
        {
            CloseMessage();
            if (_messages.Count == 0)
            {
                _messages.Add([new DiscordEmbed { Title = _firstTitle, Description = _firstTitle is null ? Blank : null, Color = _color }]);
            }

            return _messages;
        }

        private void Append(string text)
        {
            _used += SeparatorLength + text.Length;
            if (_description.Length > 0)
            {
                _description.Append(BlockSeparator);
            }

            _description.Append(text);
        }

        private void CloseEmbed()
        {
            if (!OpenEmbedHasContent)
            {
                return;
            }

            _embeds.Add(new DiscordEmbed
            {
                Title = _title,
                Description = _description.Length > 0 ? _description.ToString() : null,
                Color = _color,
                Fields = _fields.Count > 0 ? [.. _fields] : null,
            });
            _title = null;
            _description.Clear();
            _fields.Clear();
        }

        private void CloseMessage()
        {
            CloseEmbed();
            if (_embeds.Count == 0)
            {
                return;
            }

            _messages.Add(_embeds);
            _embeds = [];
            _title = _continuedTitle;
            _used = _title?.Length ?? 0;
        }
    }
}
