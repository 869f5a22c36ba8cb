using System.Text;
using Bot.Core.Rendering;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Bot.Discord.Rendering;

/// <summary>
/// Rewrites CommonMark (with pipe tables) as the Markdown Discord understands, walking Markdig's
/// syntax tree. Inline text is copied from the source, so escapes and anything that looks like a
/// mention stay exactly as written; only constructs Discord renders differently are rewritten:
/// tables become aligned code blocks, headings below ### become bold lines, setext headings become
/// <c>#</c> headings, indented and <c>~~~</c> code becomes <c>```</c> fences, <c>__strong__</c> (an
/// underline on Discord) becomes <c>**strong**</c>, reference links and images become inline links, and
/// an HTML entity becomes the character it stands for, backslash-escaped when it is Discord syntax.
/// </summary>
internal static class DiscordMarkdown
{
    /// <summary>Discord draws no horizontal rule, so a thematic break becomes a line of box-drawing characters.</summary>
    public const string ThematicBreak = "────────────────────";

    private const string Fence = "```";

    /// <summary>
    /// The characters Discord's Markdown formats, quotes, lists, links or mentions with, each of which
    /// shows as itself after a backslash.
    /// </summary>
    private const string DiscordSyntax = "\\`*_~|<>[]()#-+.@";

    /// <summary>
    /// Aligned up to about what a code block in an embed shows on one line before it wraps; a cell's
    /// links keep their URL, since nothing in a code block links.
    /// </summary>
    private static readonly TableStyle Tables = new(MaxAlignedWidth: 60, ColumnGap: " | ", Rule: '-', RuleJoint: "-+-", LinkTargets: true);

    /// <summary>The top-level blocks of <paramref name="markdown"/>, each rendered for Discord; never empty strings.</summary>
    public static IReadOnlyList<string> Blocks(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var source = markdown.Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = MarkdownDialect.Parse(source);
        var writer = new Writer(source);
        return [.. document.Select(writer.Block).Where(text => text.Trim().Length > 0)];
    }

    /// <summary>A fenced code block Discord renders as such, whatever <paramref name="code"/> contains.</summary>
    public static string Fenced(string info, string code)
    {
        // Discord knows only ``` fences and ends a block at the first ``` it meets, so a run of
        // backticks inside the code is broken up with zero-width spaces.
        if (code.Contains(Fence, StringComparison.Ordinal))
        {
            code = BreakBacktickRuns(code);
        }

        var language = info.Contains('`', StringComparison.Ordinal) ? "" : info;
        return $"{Fence}{language}\n{code}\n{Fence}";
    }

    /// <summary>Every run of backticks broken up with zero-width spaces, so that none of them can open or close a code block.</summary>
    private static string BreakBacktickRuns(string text)
    {
        var broken = new StringBuilder(text.Length + 8);
        for (var index = 0; index < text.Length; index++)
        {
            if (text[index] == '`' && index > 0 && text[index - 1] == '`')
            {
                broken.Append('\u200B');
            }

            broken.Append(text[index]);
        }

        return broken.ToString();
    }

    private sealed class Writer(string source) : MarkdownWalker<string>(source)
    {
        protected override string Empty => "";

        protected override string Heading(HeadingBlock heading)
        {
            var text = Inlines(heading.Inline).Replace('\n', ' ').Trim();
            if (text.Length == 0)
            {
                return "";
            }

            // Discord renders # to ### only; deeper levels would show their hashes.
            return heading.Level <= 3 ? new string('#', heading.Level) + " " + text : "**" + text + "**";
        }

        protected override string Table(Table table) => Fenced("", TableLayout.Render(table, Tables));

        protected override string Code(string code, string info) => Fenced(info, code);

        protected override string Paragraph(ParagraphBlock paragraph) => Inlines(paragraph.Inline);

        protected override string List(ListBlock list)
        {
            var separator = list.IsLoose ? "\n\n" : "\n";
            var items = new List<string>();
            foreach (var (item, number) in Items(list))
            {
                var marker = list.IsOrdered ? $"{number}. " : "- ";
                var body = Children(item, separator);
                items.Add(Prefix(body, marker, new string(' ', marker.Length)).TrimEnd());
            }

            return string.Join(separator, items);
        }

        protected override string Quote(QuoteBlock quote) => Prefix(Children(quote, "\n"), "> ", "> ");

        protected override string ThematicBreak() => DiscordMarkdown.ThematicBreak;

        protected override string Html(HtmlBlock html) => html.Lines.ToString();

        protected override string OtherContainer(ContainerBlock container) => Children(container, "\n\n");

        protected override string OtherLeaf(LeafBlock leaf) => leaf.Inline is { } inline ? Inlines(inline) : leaf.Lines.ToString();

        protected override void Literal(LiteralInline literal) =>
            // The source keeps backslash escapes, which Discord honours too.
            Output.Append(SourceOf(literal) ?? literal.Content.ToString());

        protected override void LineBreak(LineBreakInline lineBreak) => Output.Append('\n');

        /// <summary>
        /// Discord reads no HTML entities, so an entity is written as the character it stands for; one
        /// of Discord's syntax (<c>&amp;ast;</c>, <c>&amp;#95;</c>, <c>&amp;lt;</c>) is backslash-escaped,
        /// or it would format, quote or mention instead of showing.
        /// </summary>
        protected override void Entity(HtmlEntityInline entity)
        {
            foreach (var character in entity.Transcoded.AsSpan())
            {
                if (DiscordSyntax.Contains(character, StringComparison.Ordinal))
                {
                    Output.Append('\\');
                }

                Output.Append(character);
            }
        }

        protected override void Emphasis(EmphasisInline emphasis)
        {
            // CommonMark's __strong__ is an underline on Discord.
            var delimiter = emphasis is { DelimiterChar: '_', DelimiterCount: 2 }
                ? "**"
                : new string(emphasis.DelimiterChar, emphasis.DelimiterCount);
            Output.Append(delimiter);
            WriteChildren(emphasis);
            Output.Append(delimiter);
        }

        protected override void CodeSpan(CodeInline code)
        {
            var original = SourceOf(code);
            if (original is not null && !original.Contains('\n', StringComparison.Ordinal) && code.DelimiterCount < 3
                && !code.Content.Contains(Fence, StringComparison.Ordinal))
            {
                Output.Append(original);
                return;
            }

            // Discord reads three backticks anywhere as a code block's fence: inside, no run of
            // backticks stays longer than one, and two of them delimit the span.
            var content = code.DelimiterCount >= 3 || code.Content.Contains(Fence, StringComparison.Ordinal)
                ? BreakBacktickRuns(code.Content)
                : code.Content;
            var ticks = content.Contains('`', StringComparison.Ordinal) ? "``" : new string('`', Math.Clamp(code.DelimiterCount, 1, 2));
            var padding = content.StartsWith('`') || content.EndsWith('`') ? " " : "";
            Output.Append(ticks).Append(padding).Append(content).Append(padding).Append(ticks);
        }

        protected override void Link(LinkInline link)
        {
            var url = UrlOf(link);
            var label = Inlines(link).Replace('\n', ' ').Trim();
            if (url.Length == 0)
            {
                Output.Append(label);
            }
            else if (label.Length == 0)
            {
                Output.Append(url);
            }
            else
            {
                Output.Append('[').Append(label).Append("](").Append(SafeUrl(url)).Append(')');
            }
        }

        protected override void Autolink(AutolinkInline autolink) => Output.Append(SourceOf(autolink) ?? autolink.ToString());

        protected override void InlineHtml(HtmlInline html) => Output.Append(SourceOf(html) ?? html.ToString());

        protected override void OtherInline(Inline element) => Output.Append(SourceOf(element) ?? element.ToString());

        private string Children(ContainerBlock container, string separator) =>
            string.Join(separator, container.Select(Block).Where(text => text.Length > 0));

        /// <summary>Puts <paramref name="first"/> before the first line and <paramref name="rest"/> before every other non-empty one.</summary>
        private static string Prefix(string text, string first, string rest)
        {
            var lines = text.Split('\n');
            for (var index = 0; index < lines.Length; index++)
            {
                if (index == 0)
                {
                    lines[index] = first + lines[index];
                }
                else if (lines[index].Length > 0)
                {
                    lines[index] = rest + lines[index];
                }
                else if (rest.Trim().Length > 0)
                {
                    lines[index] = rest.TrimEnd();
                }
            }

            return string.Join('\n', lines);
        }

        /// <summary>Spaces and brackets would end Discord's masked link early.</summary>
        private static string SafeUrl(string url)
        {
            var builder = new StringBuilder(url.Length);
            foreach (var character in url)
            {
                builder.Append(character switch
                {
                    ' ' => "%20",
                    '(' => "%28",
                    ')' => "%29",
                    '<' => "%3C",
                    '>' => "%3E",
                    _ => character.ToString(),
                });
            }

            return builder.ToString();
        }
    }
}
