using System.Runtime.CompilerServices;
using System.Text;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Markdig;

namespace Bot.Slack.Rendering;

/// <summary>
/// Turns a <see cref="Reply"/> into Slack Block Kit messages: a header for the title (with a tone
/// emoji), the summary in italics and the body as mrkdwn sections (both are Markdown), fields as section
/// fields, actions as buttons on the last message, every Block Kit limit respected.
/// </summary>
/// <remarks>
/// Ping safety: every piece of reply text in a mrkdwn object or in the fallback text is escaped, every
/// mrkdwn object is verbatim, and <c>link_names</c> is never set, so a typed <c>&lt;!channel&gt;</c>,
/// <c>&lt;!here&gt;</c> or <c>&lt;@U…&gt;</c> shows as text. Visibility and replacing the original are
/// left to the pipeline (<see cref="SlackMessage.ResponseType"/>, <see cref="SlackMessage.ReplaceOriginal"/>).
/// An action whose id is empty, longer than <see cref="SlackLimits.ActionId"/> or a repeat is left out,
/// because Slack would reject the whole message for it.
/// </remarks>
public static class SlackRenderer
{
    /// <summary>Added to the fallback text of messages that carry on a reply.</summary>
    public const string ContinuedSuffix = " (continued)";

    /// <summary>How much of the reply the notification fallback shows, before escaping (which at most quintuples it).</summary>
    private const int FallbackLength = 300;

    private const int MaxFieldName = 200;

    private const string BlockSeparator = "\n\n";

    private const string QuotePrefix = "> ";

    private static readonly ConditionalWeakTable<Reply, IReadOnlyList<SlackMessage>> Rendered = [];

    /// <summary>Messages carrying the reply, in order: one in almost all cases; past 50 blocks, several.</summary>
    public static IReadOnlyList<SlackMessage> Render(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        // Replies are immutable and Core hands out the same instance for the same concept, so the
        // Markdown walk runs once per reply, not once per request.
        return Rendered.GetValue(reply, RenderUncached);
    }

    /// <summary>Escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> of user or content text for mrkdwn, and nothing else.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny("&<>") < 0)
        {
            return text;
        }

        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>The emoji that marks a reply's tone in its header; none for plain information.</summary>
    public static string ToneMark(ReplyTone tone) => tone switch
    {
        ReplyTone.Success => "✅",
        ReplyTone.Warning => "⚠️",
        ReplyTone.Error => "❌",
        _ => "",
    };

    private static IReadOnlyList<SlackMessage> RenderUncached(Reply reply)
    {
        var title = Collapse(reply.Title);
        var content = new List<SlackBlock>();
        if (title.Length > 0)
        {
            var mark = ToneMark(reply.Tone);
            content.Add(new HeaderBlock(SlackText.Plain(EscapeClipped(mark.Length > 0 ? mark + " " + title : title, SlackLimits.HeaderText))));
        }

        foreach (var section in Pack(TextAtoms(reply), SlackLimits.SectionText))
        {
            content.Add(section is null ? new DividerBlock() : new SectionBlock { Text = SlackText.Mrkdwn(section) });
        }

        foreach (var fields in reply.Fields.SelectMany(FieldTexts).Chunk(SlackLimits.SectionFields))
        {
            content.Add(new SectionBlock { Fields = [.. fields.Select(SlackText.Mrkdwn)] });
        }

        var actions = Menus(reply.Menu)
            .Concat(Buttons(reply.Actions).Chunk(SlackLimits.ActionsElements).Select(row => (SlackBlock)new ActionsBlock(row)))
            .ToList();
        var fallback = Fallback(reply, title);
        var continued = title.Length > 0 ? EscapeClipped(title, FallbackLength) + ContinuedSuffix : fallback;
        return [.. Distribute(content, actions).Select((blocks, index) => new SlackMessage
        {
            Text = index == 0 ? fallback : continued,
            Blocks = blocks,
        })];
    }

    /// <summary>
    /// Splits blocks into messages of at most <see cref="SlackLimits.Blocks"/>; the actions go together
    /// on the last one, in a message of their own when the content leaves them no room.
    /// </summary>
    private static List<List<SlackBlock>> Distribute(List<SlackBlock> content, List<SlackBlock> actions)
    {
        var messages = content.Chunk(SlackLimits.Blocks).Select(TrimDividers).Where(blocks => blocks.Count > 0).ToList();
        foreach (var page in actions.Chunk(SlackLimits.Blocks))
        {
            if (messages.Count > 0 && messages[^1].Count + page.Length <= SlackLimits.Blocks)
            {
                messages[^1].AddRange(page);
            }
            else
            {
                messages.Add([.. page]);
            }
        }

        if (messages.Count == 0)
        {
            messages.Add([]);
        }

        return messages;
    }

    /// <summary>A divider that starts or ends a message separates nothing.</summary>
    private static List<SlackBlock> TrimDividers(SlackBlock[] blocks)
    {
        var list = blocks.ToList();
        while (list.Count > 0 && list[0] is DividerBlock)
        {
            list.RemoveAt(0);
        }

        while (list.Count > 0 && list[^1] is DividerBlock)
        {
            list.RemoveAt(list.Count - 1);
        }

        return list;
    }

    /// <summary>The title and the first lines of the summary or body as plain text; never empty.</summary>
    private static string Fallback(Reply reply, string title)
    {
        var lines = new StringBuilder(title);
        var text = Collapse(reply.Summary ?? "");
        if (text.Length == 0 && reply.Body.Trim().Length > 0)
        {
            text = Collapse(string.Join(' ', Markdown.ToPlainText(reply.Body, MarkdownDialect.Pipeline)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Take(3)));
        }

        if (text.Length > 0)
        {
            lines.Append(lines.Length > 0 ? "\n" : "").Append(text);
        }

        if (lines.Length == 0)
        {
            lines.Append(reply.Fields.Select(field => Collapse(field.Name + " " + field.Value)).FirstOrDefault(field => field.Length > 0)
                ?? reply.Actions.Select(action => Collapse(action.Label)).FirstOrDefault(label => label.Length > 0)
                ?? "…");
        }

        return EscapeClipped(lines.ToString(), FallbackLength);
    }

    /// <summary>The summary and the body as text to pack into sections; null stands for a divider.</summary>
    private static IEnumerable<Atom> TextAtoms(Reply reply)
    {
        var summary = Collapse(reply.Summary ?? "");
        if (summary.Length > 0)
        {
            // Italic unless the summary's own underscores would tangle with the markers. The summary is
            // Markdown, as on the other platforms; anything but a paragraph shows as written.
            var wrapInItalics = !summary.Contains('_', StringComparison.Ordinal);
            var text = SlackMrkdwn.Line(summary, within: wrapInItalics ? "_" : "") ?? SlackMrkdwn.EscapeProse(summary);
            var italic = wrapInItalics ? SlackMrkdwn.Wrap(text, '_') : text;
            foreach (var atom in Atoms(new MrkdwnBlock([MrkdwnPiece.Line(italic.Length <= SlackLimits.SectionText ? italic : text)]), SlackLimits.SectionText))
            {
                yield return atom;
            }
        }

        foreach (var block in SlackMrkdwn.Blocks(reply.Body))
        {
            foreach (var atom in Atoms(block, SlackLimits.SectionText))
            {
                yield return atom;
            }
        }
    }

    /// <summary>
    /// A block as one atom when it fits <paramref name="limit"/>; otherwise its lines and code blocks,
    /// each line cut between words and each code block re-fenced in parts, so that every atom fits.
    /// </summary>
    private static IEnumerable<Atom> Atoms(MrkdwnBlock block, int limit)
    {
        if (block.IsDivider)
        {
            yield return Atom.Divider;
            yield break;
        }

        var whole = block.Render();
        if (whole.Length <= limit)
        {
            yield return new Atom(BlockSeparator, whole);
            yield break;
        }

        var separator = BlockSeparator;
        foreach (var piece in block.Pieces)
        {
            // The parts of a long quoted line stay quoted.
            var quote = !piece.IsCode && piece.Text.StartsWith(QuotePrefix, StringComparison.Ordinal) ? QuotePrefix : "";
            var parts = piece.IsCode ? SplitCode(piece.Text, limit) : SplitLine(piece.Text[quote.Length..], limit - quote.Length);
            foreach (var part in parts)
            {
                yield return new Atom(separator, piece.IsCode ? part : quote + part);
                separator = "\n";
            }
        }
    }

    /// <summary>Fills texts of at most <paramref name="limit"/> characters in order; null marks a divider.</summary>
    private static List<string?> Pack(IEnumerable<Atom> atoms, int limit)
    {
        var texts = new List<string?>();
        var current = new StringBuilder();
        foreach (var atom in atoms)
        {
            if (atom.IsDivider)
            {
                Flush();
                if (texts.Count > 0 && texts[^1] is not null)
                {
                    texts.Add(null);
                }

                continue;
            }

            if (current.Length > 0 && current.Length + atom.Separator.Length + atom.Text.Length > limit)
            {
                Flush();
            }

            if (current.Length > 0)
            {
                current.Append(atom.Separator);
            }

            current.Append(atom.Text);
        }

        Flush();
        return texts;

        void Flush()
        {
            var text = current.ToString().Trim('\n');
            if (text.Trim().Length > 0)
            {
                texts.Add(text);
            }

            current.Clear();
        }
    }

    /// <summary>Code too long for one text, as several complete code blocks cut between lines (or, for a very long line, inside it).</summary>
    private static List<string> SplitCode(string code, int limit)
    {
        var room = limit - SlackMrkdwn.FenceOverhead;
        var parts = new List<string>();
        var lines = new StringBuilder();
        foreach (var line in code.Split('\n'))
        {
            foreach (var segment in Cut(SlackMrkdwn.EscapeText(line), room))
            {
                if (lines.Length > 0 && lines.Length + 1 + segment.Length > room)
                {
                    parts.Add(Fenced(lines.ToString()));
                    lines.Clear();
                }

                if (lines.Length > 0)
                {
                    lines.Append('\n');
                }

                lines.Append(segment);
            }
        }

        if (lines.ToString().Trim().Length > 0)
        {
            parts.Add(Fenced(lines.ToString()));
        }

        return parts;

        static string Fenced(string escaped) => SlackMrkdwn.FenceMarker + "\n" + escaped + "\n" + SlackMrkdwn.FenceMarker;
    }

    /// <summary>A line too long for one text, cut at spaces outside links where it can be.</summary>
    private static List<string> SplitLine(string line, int limit)
    {
        var parts = new List<string>();
        var rest = line;
        while (rest.Length > limit)
        {
            var cut = rest.LastIndexOf(' ', limit);
            while (cut > 0 && InsideLink(rest, cut))
            {
                cut = rest.LastIndexOf(' ', cut - 1);
            }

            if (cut <= 0)
            {
                cut = SafeCut(rest, limit);
            }

            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return parts;
    }

    /// <summary>Escaped text cut into pieces of at most <paramref name="room"/> characters.</summary>
    private static IEnumerable<string> Cut(string text, int room)
    {
        var rest = text;
        while (rest.Length > room)
        {
            var cut = SafeCut(rest, room);
            yield return rest[..cut];
            rest = rest[cut..];
        }

        yield return rest;
    }

    /// <summary>
    /// The last index at or before <paramref name="max"/> where escaped mrkdwn can be cut: not inside a
    /// character as people see it (<see cref="TextClip.CutPoint"/>: a surrogate pair, an emoji sequence, a
    /// flag), an entity such as <c>&amp;amp;</c>, or a link of ours (unless the link alone is too long).
    /// </summary>
    private static int SafeCut(string text, int max)
    {
        var cut = TextClip.CutPoint(text, max);
        var ampersand = text.LastIndexOf('&', cut - 1, Math.Min(cut, 5));
        if (ampersand >= 0 && text.IndexOf(';', ampersand) >= cut)
        {
            cut = ampersand;
        }

        var open = text.LastIndexOf('<', cut - 1);
        if (open > 0 && InsideLink(text, cut))
        {
            cut = open;
        }

        return cut > 0 ? cut : TextClip.CutPoint(text, max);
    }

    /// <summary>Whether <paramref name="index"/> falls between a link's <c>&lt;</c> and its <c>&gt;</c>: escaped text holds no other.</summary>
    private static bool InsideLink(string text, int index)
    {
        var open = text.LastIndexOf('<', Math.Max(0, index - 1));
        return open >= 0 && text.LastIndexOf('>', Math.Max(0, index - 1)) < open;
    }

    /// <summary>A field as "*Name*\nvalue", or several when the value is longer than one field holds.</summary>
    private static IEnumerable<string> FieldTexts(ReplyField field)
    {
        var name = SlackMrkdwn.EscapeProse(TextClip.Clip(Collapse(field.Name), MaxFieldName));
        var heading = name.Contains('*', StringComparison.Ordinal) ? name : SlackMrkdwn.Wrap(name, '*');
        var value = SlackMrkdwn.Blocks(field.Value.Trim()).ToList();
        var whole = string.Join('\n', value.Where(block => !block.IsDivider).Select(block => block.Render()));
        if (whole.Length == 0)
        {
            if (heading.Length > 0)
            {
                yield return heading;
            }

            yield break;
        }

        var prefix = heading.Length == 0 ? "" : heading + "\n";
        if (prefix.Length + whole.Length <= SlackLimits.FieldText)
        {
            yield return prefix + whole;
            yield break;
        }

        var continuedPrefix = heading.Length == 0 ? "" : heading + ContinuedSuffix + "\n";
        var parts = Pack(value.SelectMany(block => Atoms(block, SlackLimits.FieldText - continuedPrefix.Length)), SlackLimits.FieldText - continuedPrefix.Length);
        for (var index = 0; index < parts.Count; index++)
        {
            if (parts[index] is { } part)
            {
                yield return (index == 0 ? prefix : continuedPrefix) + part;
            }
        }
    }

    /// <summary>
    /// The menu as one static select with an option group per menu group, beside its placeholder; a
    /// menu of more than 100 options becomes several, each of whole groups where they fit.
    /// </summary>
    private static IEnumerable<SlackBlock> Menus(ReplyMenu? menu)
    {
        if (menu is null)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var groups = menu.Groups
            .Select(group => (Label: NonBlank(Collapse(group.Label), "…"), Options: group.Options
                .Where(option => option.ActionId.Length is > 0 and <= SlackLimits.OptionValue && seen.Add(option.ActionId))
                .Select(option => new SlackOption(SlackText.Plain(EscapeClipped(NonBlank(Collapse(option.Label), option.ActionId), SlackLimits.OptionText)), option.ActionId))
                .ToList()))
            .Where(group => group.Options.Count > 0)
            .SelectMany(group => group.Options.Chunk(SlackLimits.SelectOptions).Select(chunk => (group.Label, Options: chunk)));

        var packed = new List<(string Label, SlackOption[] Options)>();
        var menus = 0;
        foreach (var group in groups)
        {
            if (packed.Sum(entry => entry.Options.Length) + group.Options.Length > SlackLimits.SelectOptions || packed.Count == SlackLimits.OptionGroups)
            {
                yield return Menu(packed, ++menus);
                packed = [];
            }

            packed.Add(group);
        }

        if (packed.Count > 0)
        {
            yield return Menu(packed, ++menus);
        }

        SlackBlock Menu(List<(string Label, SlackOption[] Options)> optionGroups, int number) => new SectionBlock
        {
            Text = SlackText.Mrkdwn(ProseClipped(string.Join(" · ", optionGroups.Select(group => group.Label)), SlackLimits.SectionText)),
            Accessory = new SlackStaticSelect(
                $"menu:{number}",
                SlackText.Plain(EscapeClipped(NonBlank(Collapse(menu.Placeholder), "Choose"), SlackLimits.Placeholder)),
                [.. optionGroups.Select(group => new SlackOptionGroup(SlackText.Plain(EscapeClipped(group.Label, SlackLimits.GroupLabel)), group.Options))]),
        };
    }

    private static string NonBlank(string text, string fallback) => text.Length > 0 ? text : fallback;

    private static IEnumerable<SlackButton> Buttons(IReadOnlyList<ReplyAction> actions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.Id.Length is 0 or > SlackLimits.ActionId || !seen.Add(action.Id))
            {
                continue;
            }

            var label = Collapse(action.Label);
            var text = EscapeClipped(label.Length > 0 ? label : action.Id, SlackLimits.ButtonText);
            yield return new SlackButton(action.Id, SlackText.Plain(text), Value: action.Id);
        }
    }

    /// <summary>Runs of white space, newlines included, as single spaces.</summary>
    private static string Collapse(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Escaped <paramref name="text"/>, shortened with an ellipsis so that the escaped form fits
    /// <paramref name="maxLength"/>: Slack counts the limit on the text as sent.
    /// </summary>
    internal static string EscapeClipped(string text, int maxLength) => Escape(TextClip.Clip(text, maxLength, EscapedLength));

    private static int EscapedLength(char character) => character switch
    {
        '&' => "&amp;".Length,
        '<' or '>' => "&lt;".Length,
        _ => 1,
    };

    /// <summary>
    /// Mrkdwn prose (<see cref="SlackMrkdwn.EscapeProse"/>) of <paramref name="text"/>, shortened with an
    /// ellipsis so that it fits <paramref name="maxLength"/> even if every marker and backtick gains its zero-width spaces.
    /// </summary>
    private static string ProseClipped(string text, int maxLength) => SlackMrkdwn.EscapeProse(TextClip.Clip(text, maxLength, ProseLength));

    private static int ProseLength(char character) => character switch
    {
        '*' or '_' or '~' => 3,
        '`' => 2,
        _ => EscapedLength(character),
    };

    /// <summary>Text to pack, and what joins it to the text before; or a divider.</summary>
    private readonly record struct Atom(string Separator, string Text, bool IsDivider = false)
    {
        public static Atom Divider { get; } = new("", "", IsDivider: true);
    }
}
