using System.Text;
using Bot.Core.Rendering;
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

    /// <summary>The characters mrkdwn formats with when they come in pairs: bold, italic, strike.</summary>
    private const string FormattingMarkers = "*_~";

    /// <summary>White space to Slack's formatting rules, yet shows nothing.</summary>
    private const char ZeroWidthSpace = '\u200B';

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

            var pieces = writer.Block(block);
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
    /// A one-paragraph Markdown text (a summary) as one line of mrkdwn; null when it is not one paragraph.
    /// </summary>
    /// <param name="within">
    /// The markers the line will stand between: emphasis of the same kind inside it is written as plain
    /// text, since Slack cannot nest a marker in itself.
    /// </param>
    public static string? Line(string markdown, string within = "")
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var source = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = MarkdownDialect.Parse(source);
        return document.Count == 1 && document[0] is ParagraphBlock paragraph
            ? new Writer(source).InlinesWithin(paragraph.Inline, within).Replace('\n', ' ')
            : null;
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

    /// <summary>
    /// <see cref="EscapeText"/>, with every <c>*</c>, <c>_</c> and <c>~</c> kept literal (see <see cref="AppendProse"/>)
    /// outside the code spans Slack reads between two backticks of a line, where it formats nothing anyway.
    /// For text that is not Markdown: a summary, a field name, the lines of an HTML block.
    /// </summary>
    public static string EscapeProse(string text)
    {
        var escaped = EscapeText(text);
        if (escaped.AsSpan().IndexOfAny(FormattingMarkers) < 0)
        {
            return escaped;
        }

        var builder = new StringBuilder(escaped.Length + 8);
        for (var index = 0; index < escaped.Length; index++)
        {
            var spanEnd = escaped[index] == '`' ? escaped.IndexOfAny(['`', '\n'], index + 1) : -1;
            if (spanEnd > index + 1 && escaped[spanEnd] == '`')
            {
                builder.Append(escaped, index, spanEnd - index + 1);
                index = spanEnd;
                continue;
            }

            AppendProseCharacter(builder, escaped[index], index + 1 < escaped.Length ? escaped[index + 1] : null);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Appends <paramref name="text"/>, escaped (<see cref="EscapeText"/>), to <paramref name="output"/> with
    /// every <c>*</c>, <c>_</c> and <c>~</c> in it kept literal.
    /// </summary>
    /// <param name="next">The character that will follow <paramref name="text"/>, when the caller knows it.</param>
    /// <remarks>
    /// Slack's mrkdwn has no escape for these characters (only <c>&amp; &lt; &gt;</c> have entities), so a
    /// literal one in prose can pair with another and bold, italicise or strike what lies between them.
    /// Slack formats only a marker that opens at a word boundary before text that is not white space and
    /// closes after such text at a word boundary, and its own advice for a literal one is a space beside it
    /// (slackhq/slack-api-docs issue 34). A zero-width space (U+200B) counts as that space but shows nothing,
    /// so one goes on the side of each literal marker where it could open (after it) or close (before it).
    /// Markers that cannot pair get none,
    /// judged from the characters beside them (the one before from <paramref name="output"/>, the one after
    /// from <paramref name="next"/> at the end of <paramref name="text"/>, the worst case when not known): snake_case_name,
    /// 2*3 and a * b stay exactly as written, so they still copy cleanly. Code is never passed here:
    /// Slack formats nothing in code, and a zero-width space there would be pasted with the code.
    /// </remarks>
    public static void AppendProse(StringBuilder output, string text, char? next = null)
    {
        var escaped = EscapeText(text);
        for (var index = 0; index < escaped.Length; index++)
        {
            AppendProseCharacter(output, escaped[index], index + 1 < escaped.Length ? escaped[index + 1] : next);
        }
    }

    /// <summary>
    /// <paramref name="inner"/> (mrkdwn) between two <paramref name="marker"/>s, or as it is when Slack would
    /// not format it so: when it is blank or touches white space, a zero-width space included.
    /// </summary>
    public static string Wrap(string inner, char marker)
    {
        // A literal marker of the same kind at the very end got a zero-width space after it in case it opened
        // a pair. Here it cannot: Slack pairs from the left, the opening marker's first possible partner is
        // the closing one (a literal that could close has its space before it), and the pair takes in the
        // literal. The space would only stop the closing marker.
        var wrapped = inner.EndsWith($"{marker}{ZeroWidthSpace}", StringComparison.Ordinal) ? inner[..^1] : inner;
        return wrapped.Length > 0 && !IsBlank(wrapped[0]) && !IsBlank(wrapped[^1]) ? marker + wrapped + marker : inner;
    }

    /// <summary>A code block; Slack takes no language tag, so none is written.</summary>
    public static string Fence(string code) => FenceMarker + "\n" + EscapeText(code) + "\n" + FenceMarker;

    /// <param name="next">The character after; null when it is not known, which counts as the worst case.</param>
    private static void AppendProseCharacter(StringBuilder output, char character, char? next)
    {
        if (!FormattingMarkers.Contains(character, StringComparison.Ordinal))
        {
            output.Append(character);
            return;
        }

        char? previous = output.Length > 0 ? output[^1] : null;
        var couldOpen = (previous is not { } before || !char.IsLetterOrDigit(before)) && (next is not { } after || !IsBlank(after));
        var couldClose = (previous is not { } last || !IsBlank(last)) && (next is not { } following || !char.IsLetterOrDigit(following));
        if (couldClose)
        {
            output.Append(ZeroWidthSpace);
        }

        output.Append(character);
        if (couldOpen)
        {
            output.Append(ZeroWidthSpace);
        }
    }

    private static bool IsBlank(char character) => char.IsWhiteSpace(character) || character == ZeroWidthSpace;

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
        var collapsed = string.Join(' ', label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length == 0 || EscapeText(collapsed) == target ? "<" + target + ">" : "<" + target + "|" + EscapeProse(collapsed) + ">";
    }

    private sealed class Writer(string source) : MarkdownWalker<List<MrkdwnPiece>>(source)
    {
        /// <summary>How deep in lists the walk is: nested bullets differ from top-level ones.</summary>
        private int _depth;

        /// <summary>The emphasis markers already open: Slack cannot nest a marker in itself.</summary>
        private string _active = "";

        protected override List<MrkdwnPiece> Empty => [];

        protected override List<MrkdwnPiece> Heading(HeadingBlock heading)
        {
            var text = InlinesWithin(heading.Inline, "*").Replace('\n', ' ').Trim();
            return text.Length == 0 ? [] : [MrkdwnPiece.Line(Wrap(text, '*'))];
        }

        protected override List<MrkdwnPiece> Table(Table table) =>
            TableLayout.Render(table, Tables) is var layout && layout.Trim().Length > 0 ? Code(layout, "") : [];

        protected override List<MrkdwnPiece> Code(string code, string info) => [MrkdwnPiece.Code(code)];

        protected override List<MrkdwnPiece> Paragraph(ParagraphBlock paragraph) => Lines(Inlines(paragraph.Inline));

        protected override List<MrkdwnPiece> List(ListBlock list)
        {
            var pieces = new List<MrkdwnPiece>();
            foreach (var (item, number) in Items(list))
            {
                var marker = list.IsOrdered ? $"{number}. " : _depth == 0 ? "• " : "◦ ";
                if (list.IsLoose && pieces.Count > 0)
                {
                    pieces.Add(MrkdwnPiece.Line(""));
                }

                _depth++;
                var children = Children(item, blankBetween: list.IsLoose);
                _depth--;
                var first = true;
                foreach (var piece in children)
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
        protected override List<MrkdwnPiece> Quote(QuoteBlock quote) =>
        [
            .. Children(quote, blankBetween: false)
                .Where(piece => piece.IsCode || piece.Text.Trim().Length > 0)
                .Select(piece => piece.IsCode ? piece : MrkdwnPiece.Line("> " + piece.Text)),
        ];

        protected override List<MrkdwnPiece> ThematicBreak() => [MrkdwnPiece.Line("───")];

        protected override List<MrkdwnPiece> Html(HtmlBlock html) => Lines(EscapeProse(html.Lines.ToString()));

        protected override List<MrkdwnPiece> OtherContainer(ContainerBlock container) => Children(container, blankBetween: true);

        protected override List<MrkdwnPiece> OtherLeaf(LeafBlock leaf) =>
            leaf.Inline is { } inline ? Lines(Inlines(inline)) : Lines(EscapeProse(leaf.Lines.ToString()));

        protected override void Text(string text) => AppendProse(Output, text);

        protected override void Literal(LiteralInline literal)
        {
            var text = literal.Content.ToString();
            // A backslash-escaped backtick is a literal of its own: three in a row must not make a fence.
            if (text.StartsWith('`') && Output.Length > 0 && Output[^1] == '`')
            {
                Output.Append(ZeroWidthSpace);
            }

            AppendProse(Output, text, FirstCharacterAfter(literal));
        }

        protected override void LineBreak(LineBreakInline lineBreak) => Output.Append(lineBreak.IsHard ? '\n' : ' ');

        protected override void Emphasis(EmphasisInline emphasis)
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
            var before = Output.Length > 0 ? Output[^1] : ' ';
            var afterIndex = emphasis.Span.End + 1;
            var after = afterIndex > 0 && afterIndex < Source.Length ? Source[afterIndex] : ' ';
            if (marker.Length == 0 || _active.Contains(marker, StringComparison.Ordinal) || char.IsLetterOrDigit(before) || char.IsLetterOrDigit(after))
            {
                WriteChildren(emphasis);
                return;
            }

            // The inner text is written after the opening marker, so that its first character is judged beside it.
            var start = Output.Length;
            Output.Append(marker);
            var outer = _active;
            _active += marker;
            WriteChildren(emphasis);
            _active = outer;
            var inner = Output.ToString(start + 1, Output.Length - start - 1);
            Output.Length = start;
            Output.Append(Wrap(inner, marker[0]));
        }

        /// <summary>Slack code spans cannot hold a backtick, so one shows as a modifier grave accent (ˋ).</summary>
        protected override void CodeSpan(CodeInline code)
        {
            if (code.Content.Trim().Length == 0)
            {
                Output.Append(code.Content);
                return;
            }

            Output.Append('`').Append(EscapeText(code.Content.Replace('`', 'ˋ'))).Append('`');
        }

        protected override void Link(LinkInline link)
        {
            var url = UrlOf(link);
            var label = PlainText.Of(link, linkTargets: false).Trim();
            if (IsLinkable(url))
            {
                Output.Append(SlackMrkdwn.Link(url, label.Length > 0 ? label : url));
            }
            else if (link.FirstChild is not null)
            {
                // A relative or unsupported link keeps its text, formatted, without a target.
                WriteChildren(link);
            }
            else
            {
                Output.Append(EscapeText(url));
            }
        }

        protected override void Autolink(AutolinkInline autolink)
        {
            var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
            Output.Append(IsLinkable(url) ? SlackMrkdwn.Link(url, autolink.Url) : EscapeText(autolink.Url));
        }

        /// <summary>
        /// What starts the output after <paramref name="inline"/> when the tree tells: Markdig leaves a marker
        /// that opened nothing as a literal of its own, between the literals around it (2*3 is three).
        /// </summary>
        private static char? FirstCharacterAfter(Inline inline) => inline.NextSibling switch
        {
            LiteralInline { Content.Length: > 0 } literal => literal.Content.AsSpan()[0],
            LineBreakInline => '\n',
            _ => null,
        };

        private static List<MrkdwnPiece> Lines(string text) => [.. text.Split('\n').Select(MrkdwnPiece.Line)];

        public string InlinesWithin(ContainerInline? container, string active)
        {
            var outer = _active;
            _active = active;
            var text = Inlines(container);
            _active = outer;
            return text;
        }

        private List<MrkdwnPiece> Children(ContainerBlock container, bool blankBetween)
        {
            var pieces = new List<MrkdwnPiece>();
            foreach (var child in container)
            {
                var childPieces = Block(child);
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
    }
}
