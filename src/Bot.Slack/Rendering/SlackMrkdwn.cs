using System.Text;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Slack.Rendering;

/// <summary>One line of mrkdwn (already escaped), or the raw text of a code block (not yet escaped or fenced).</summary>
internal readonly record struct MrkdwnPiece(string Text, bool IsCode)
{
    public static MrkdwnPiece Line(string text) => new(text, false);

    public static MrkdwnPiece Code(string code) => new(code, true);

    public string Render() => IsCode ? SlackMrkdwn.Fence(Text) : Text;
}

/// <summary>A top-level block of the body as mrkdwn: lines and code blocks, or a divider.</summary>
internal sealed record MrkdwnBlock(IReadOnlyList<MrkdwnPiece> Pieces, bool IsDivider = false)
{
    public static MrkdwnBlock Divider { get; } = new([], IsDivider: true);

    public string Render() => string.Join('\n', Pieces.Select(piece => piece.Render()));
}

/// <summary>
/// Rewrites CommonMark (with pipe tables) as Slack mrkdwn by walking Markdig's syntax tree. All text
/// from the Markdown is escaped (<c>&amp; &lt; &gt;</c>), so nothing in it can become a mention or a
/// link; the only <c>&lt;…&gt;</c> in the output are links this class writes for http(s) and mailto URLs.
/// Headings become bold lines, tables aligned code blocks, list items "• " lines, thematic breaks dividers.
/// </summary>
internal static class SlackMrkdwn
{
    public const string FenceMarker = "```";

    /// <summary>The characters a fence adds around its code: the marker and a newline on each side.</summary>
    public const int FenceOverhead = 8;

    /// <summary>A longer link would be hard to keep whole when a line is split; it is written out as text instead.</summary>
    private const int MaxLinkUrl = 1000;

    private const string NestedIndent = "    ";

    /// <summary>Aligned up to about how many monospace columns a Slack code block shows before wrapping on a laptop.</summary>
    private static readonly TableStyle Tables = new(MaxAlignedWidth: 64, ColumnGap: "  ", Rule: '─', RuleJoint: "  ", LinkTargets: false);

    /// <summary>The top-level blocks of <paramref name="markdown"/>; blocks that would show nothing are left out.</summary>
    public static IReadOnlyList<MrkdwnBlock> Blocks(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var source = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = MarkdownDialect.Parse(source);
        var writer = new Writer(source);
        var blocks = new List<MrkdwnBlock>();
        foreach (var block in document)
        {
            if (block is ThematicBreakBlock)
            {
                blocks.Add(MrkdwnBlock.Divider);
                continue;
            }

            var pieces = writer.Pieces(block, 0);
            while (pieces.Count > 0 && !pieces[^1].IsCode && pieces[^1].Text.Trim().Length == 0)
            {
                pieces.RemoveAt(pieces.Count - 1);
            }

            if (pieces.Any(piece => piece.Text.Trim().Length > 0))
            {
                blocks.Add(new MrkdwnBlock(pieces));
            }
        }

        return blocks;
    }

    /// <summary>
    /// Escapes <c>&amp; &lt; &gt;</c> and breaks runs of backticks with a zero-width space, so that text
    /// (or code) can never open or close a code block of its own.
    /// </summary>
    public static string EscapeText(string text)
    {
        if (text.AsSpan().IndexOfAny("&<>`") < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            switch (character)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '`' when index > 0 && text[index - 1] == '`':
                    builder.Append('\u200B').Append('`');
                    break;
                default:
                    builder.Append(character);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>A code block; Slack takes no language tag, so none is written.</summary>
    public static string Fence(string code) => FenceMarker + "\n" + EscapeText(code) + "\n" + FenceMarker;

    private static bool IsLinkable(string url) =>
        url.Length <= MaxLinkUrl
        && (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase));

    /// <summary>A URL as the target of a mrkdwn link: the characters that would end the link early are percent-encoded.</summary>
    private static string LinkTarget(string url)
    {
        var builder = new StringBuilder(url.Length + 8);
        foreach (var character in url)
        {
            builder.Append(character switch
            {
                '&' => "&amp;",
                '<' => "%3C",
                '>' => "%3E",
                '|' => "%7C",
                ' ' => "%20",
                '\n' or '\r' or '\t' => "",
                _ => character.ToString(),
            });
        }

        return builder.ToString();
    }

    private static string Link(string url, string label)
    {
        var target = LinkTarget(url);
        var shown = EscapeText(string.Join(' ', label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        return shown.Length == 0 || shown == target ? "<" + target + ">" : "<" + target + "|" + shown + ">";
    }

    private sealed class Writer(string source)
    {
        public List<MrkdwnPiece> Pieces(Block block, int depth) => block switch
        {
            HeadingBlock heading => Heading(heading),
            Table table => Code(TableLayout.Render(table, Tables)),
            CodeBlock code => Code(code.Lines.ToString().TrimEnd('\n')),
            ParagraphBlock paragraph => Lines(Inlines(paragraph.Inline, bold: false)),
            ListBlock list => List(list, depth),
            QuoteBlock quote => Quote(quote, depth),
            ThematicBreakBlock => [MrkdwnPiece.Line("───")],
            LinkReferenceDefinitionGroup or LinkReferenceDefinition => [],
            HtmlBlock html => Lines(EscapeText(html.Lines.ToString())),
            ContainerBlock container => Children(container, depth, blankBetween: true),
            LeafBlock leaf => leaf.Inline is { } inline ? Lines(Inlines(inline, bold: false)) : Lines(EscapeText(leaf.Lines.ToString())),
            _ => [],
        };

        private static List<MrkdwnPiece> Lines(string text) => [.. text.Split('\n').Select(MrkdwnPiece.Line)];

        private static List<MrkdwnPiece> Code(string code) => code.Trim().Length == 0 ? [] : [MrkdwnPiece.Code(code)];

        private List<MrkdwnPiece> Heading(HeadingBlock heading)
        {
            var text = Inlines(heading.Inline, bold: true).Replace('\n', ' ').Trim();
            return text.Length == 0 ? [] : [MrkdwnPiece.Line("*" + text + "*")];
        }

        private List<MrkdwnPiece> Children(ContainerBlock container, int depth, bool blankBetween)
        {
            var pieces = new List<MrkdwnPiece>();
            foreach (var child in container)
            {
                var childPieces = Pieces(child, depth);
                if (childPieces.Count == 0)
                {
                    continue;
                }

                if (blankBetween && pieces.Count > 0)
                {
                    pieces.Add(MrkdwnPiece.Line(""));
                }

                pieces.AddRange(childPieces);
            }

            return pieces;
        }

        private List<MrkdwnPiece> List(ListBlock list, int depth)
        {
            var pieces = new List<MrkdwnPiece>();
            var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
            foreach (var item in list.OfType<ListItemBlock>())
            {
                var marker = list.IsOrdered ? $"{(item.Order > 0 ? item.Order : number)}. " : depth == 0 ? "• " : "◦ ";
                number++;
                if (list.IsLoose && pieces.Count > 0)
                {
                    pieces.Add(MrkdwnPiece.Line(""));
                }

                var first = true;
                foreach (var piece in Children(item, depth + 1, blankBetween: list.IsLoose))
                {
                    if (piece.IsCode)
                    {
                        if (first)
                        {
                            pieces.Add(MrkdwnPiece.Line(marker.TrimEnd()));
                        }

                        pieces.Add(piece);
                    }
                    else
                    {
                        pieces.Add(MrkdwnPiece.Line(first ? marker + piece.Text : piece.Text.Length == 0 ? "" : NestedIndent + piece.Text));
                    }

                    first = false;
                }
            }

            return pieces;
        }

        /// <summary>Each line is quoted on its own, as Slack wants; code keeps its own block, and blank lines go.</summary>
        private List<MrkdwnPiece> Quote(QuoteBlock quote, int depth) =>
        [
            .. Children(quote, depth, blankBetween: false)
                .Where(piece => piece.IsCode || piece.Text.Trim().Length > 0)
                .Select(piece => piece.IsCode ? piece : MrkdwnPiece.Line("> " + piece.Text)),
        ];

        private string Inlines(ContainerInline? container, bool bold)
        {
            var builder = new StringBuilder();
            AppendInlines(container, builder, bold ? "*" : "");
            return builder.ToString();
        }

        /// <param name="active">The emphasis markers already open: Slack cannot nest a marker in itself.</param>
        private void AppendInlines(ContainerInline? container, StringBuilder builder, string active)
        {
            if (container is null)
            {
                return;
            }

            foreach (var inline in container)
            {
                switch (inline)
                {
                    case LineBreakInline lineBreak:
                        builder.Append(lineBreak.IsHard ? '\n' : ' ');
                        break;
                    case EmphasisInline emphasis:
                        AppendEmphasis(emphasis, builder, active);
                        break;
                    case CodeInline code:
                        AppendCode(code.Content, builder);
                        break;
                    case LinkInline link:
                        AppendLink(link, builder, active);
                        break;
                    case AutolinkInline autolink:
                        var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
                        builder.Append(IsLinkable(url) ? Link(url, autolink.Url) : EscapeText(autolink.Url));
                        break;
                    case HtmlEntityInline entity:
                        builder.Append(EscapeText(entity.Transcoded.ToString()));
                        break;
                    case HtmlInline html:
                        builder.Append(EscapeText(html.Tag));
                        break;
                    case LiteralInline literal:
                        var escaped = EscapeText(literal.Content.ToString());
                        // A backslash-escaped backtick is a literal of its own: three in a row must not make a fence.
                        if (escaped.StartsWith('`') && builder.Length > 0 && builder[^1] == '`')
                        {
                            builder.Append('\u200B');
                        }

                        builder.Append(escaped);
                        break;
                    case DelimiterInline unmatched:
                        builder.Append(EscapeText(unmatched.ToLiteral()));
                        AppendInlines(unmatched, builder, active);
                        break;
                    case ContainerInline nested:
                        AppendInlines(nested, builder, active);
                        break;
                    default:
                        builder.Append(EscapeText(inline.ToString() ?? ""));
                        break;
                }
            }
        }

        private void AppendEmphasis(EmphasisInline emphasis, StringBuilder builder, string active)
        {
            var marker = (emphasis.DelimiterChar, emphasis.DelimiterCount) switch
            {
                ('*' or '_', >= 2) => "*",
                ('*' or '_', 1) => "_",
                ('~', 2) => "~",

                // Subscript, superscript, inserted and marked text have no mrkdwn form; their text stays plain.
                _ => "",
            };

            // Slack only honours a marker at a word boundary (**L**ocal would show its asterisks).
            var before = builder.Length > 0 ? builder[^1] : ' ';
            var afterIndex = emphasis.Span.End + 1;
            var after = afterIndex > 0 && afterIndex < source.Length ? source[afterIndex] : ' ';
            if (marker.Length == 0 || active.Contains(marker, StringComparison.Ordinal) || char.IsLetterOrDigit(before) || char.IsLetterOrDigit(after))
            {
                AppendInlines(emphasis, builder, active);
                return;
            }

            var start = builder.Length;
            builder.Append(marker);
            AppendInlines(emphasis, builder, active + marker);
            var inner = builder.ToString(start + 1, builder.Length - start - 1);
            if (inner.Trim().Length == 0 || inner.Trim().Length != inner.Length)
            {
                // Slack ignores markers that touch white space; they would show as characters.
                builder.Remove(start, 1);
                return;
            }

            builder.Append(marker);
        }

        /// <summary>Slack code spans cannot hold a backtick, so one shows as a modifier grave accent (ˋ).</summary>
        private static void AppendCode(string content, StringBuilder builder)
        {
            if (content.Trim().Length == 0)
            {
                builder.Append(content);
                return;
            }

            builder.Append('`').Append(EscapeText(content.Replace('`', 'ˋ'))).Append('`');
        }

        private void AppendLink(LinkInline link, StringBuilder builder, string active)
        {
            var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
            var label = MarkdownText.PlainText(link, linkTargets: false).Trim();
            if (IsLinkable(url))
            {
                builder.Append(Link(url, label.Length > 0 ? label : url));
            }
            else if (link.FirstChild is not null)
            {
                // A relative or unsupported link keeps its text, formatted, without a target.
                AppendInlines(link, builder, active);
            }
            else
            {
                builder.Append(EscapeText(url));
            }
        }
    }
}
