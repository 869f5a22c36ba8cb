using Bot.Core.Rendering;
using Bot.Core.Replies;
using MarkdownTable = Markdig.Extensions.Tables.Table;
using MarkdownTableCell = Markdig.Extensions.Tables.TableCell;
using MarkdownTableRow = Markdig.Extensions.Tables.TableRow;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Bot.Host.Terminal;

/// <summary>Renders a <see cref="Reply"/> for people at a terminal, walking the Markdig syntax tree.</summary>
internal sealed class TerminalRenderer(IAnsiConsole console)
{
    public void Render(Reply reply)
    {
        var colour = reply.Tone switch
        {
            ReplyTone.Success => "green",
            ReplyTone.Warning => "yellow",
            ReplyTone.Error => "red",
            _ => "deepskyblue1",
        };
        console.WriteLine();
        console.Write(new Rule($"[bold {colour}]{Markup.Escape(reply.Title)}[/]").LeftJustified());
        if (!string.IsNullOrWhiteSpace(reply.Summary))
        {
            console.Write(new Markup($"[italic]{Writer.InlineMarkdown(reply.Summary)}[/]\n\n"));
        }

        foreach (var renderable in Writer.Blocks(reply.Body))
        {
            console.Write(renderable);
        }

        foreach (var field in reply.Fields)
        {
            console.Write(new Markup($"[bold]{Markup.Escape(field.Name)}:[/] {Markup.Escape(field.Value)}\n"));
        }

        if (reply.Actions.Count > 0)
        {
            console.Write(new Markup("[grey]Type a number:[/]\n"));
            console.Write(new Columns(reply.Actions.Select((action, index) =>
                new Markup($"[bold deepskyblue1]{index + 1}[/] {Markup.Escape(action.Label)}"))).Collapse());
        }
    }

    /// <summary>Markdown as Spectre renderables: inlines as Spectre markup, every text escaped.</summary>
    private sealed class Writer(string source) : MarkdownWalker<List<IRenderable>>(source)
    {
        /// <summary>What starts each line of the blocks being written: list indentation and quote bars.</summary>
        private string _indent = "";

        public static List<IRenderable> Blocks(string markdown)
        {
            var writer = new Writer(markdown);
            return [.. MarkdownDialect.Parse(markdown).SelectMany(writer.Block)];
        }

        /// <summary>A one-paragraph Markdown text (a summary) as Spectre markup.</summary>
        public static string InlineMarkdown(string text) =>
            MarkdownDialect.Parse(text).FirstOrDefault() is ParagraphBlock paragraph
                ? new Writer(text).Inlines(paragraph.Inline)
                : Markup.Escape(text);

        protected override List<IRenderable> Empty => [];

        protected override List<IRenderable> Heading(HeadingBlock heading) =>
            [new Markup($"{_indent}[bold yellow]{Inlines(heading.Inline)}[/]\n\n")];

        protected override List<IRenderable> Table(MarkdownTable table)
        {
            var rendered = new Spectre.Console.Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
            var rows = table.OfType<MarkdownTableRow>().ToList();
            foreach (var cell in rows.FirstOrDefault()?.OfType<MarkdownTableCell>() ?? [])
            {
                rendered.AddColumn(new TableColumn(new Markup($"[bold]{CellText(cell)}[/]")));
            }

            foreach (var row in rows.Skip(1))
            {
                rendered.AddRow([.. row.OfType<MarkdownTableCell>().Select(cell => new Markup(CellText(cell)))]);
            }

            return [rendered];
        }

        protected override List<IRenderable> Code(string code, string info)
        {
            var panel = new Panel(new Text(code, new Style(Color.Aqua)))
                .Border(BoxBorder.Rounded)
                .BorderColor(Color.Grey);
            if (info.Length > 0)
            {
                panel.Header($"[grey]{Markup.Escape(info)}[/]");
            }

            return [new Padder(panel, new Padding(_indent.Length, 0, 0, 1))];
        }

        protected override List<IRenderable> Paragraph(ParagraphBlock paragraph) =>
            [new Markup($"{_indent}{Inlines(paragraph.Inline)}\n\n")];

        protected override List<IRenderable> List(ListBlock list)
        {
            var rendered = new List<IRenderable>();
            foreach (var (item, number) in Items(list))
            {
                var bullet = list.IsOrdered ? $"{number}." : "•";
                var first = true;
                foreach (var child in item)
                {
                    if (first && child is ParagraphBlock itemParagraph)
                    {
                        rendered.Add(new Markup($"{_indent}{bullet} {Inlines(itemParagraph.Inline)}\n"));
                    }
                    else
                    {
                        if (first)
                        {
                            // An item that opens with a code block or a nested list still shows its bullet, on a line of its own.
                            rendered.Add(new Markup($"{_indent}{bullet}\n"));
                        }

                        rendered.AddRange(Indented("   ", child));
                    }

                    first = false;
                }
            }

            rendered.Add(new Text("\n"));
            return rendered;
        }

        protected override List<IRenderable> Quote(QuoteBlock quote) => [.. quote.SelectMany(child => Indented("│ ", child))];

        protected override List<IRenderable> ThematicBreak() => [new Rule().RuleStyle(Style.Parse("grey"))];

        protected override List<IRenderable> Html(HtmlBlock html) => OtherLeaf(html);

        protected override List<IRenderable> OtherContainer(ContainerBlock container) => [.. container.SelectMany(Block)];

        protected override List<IRenderable> OtherLeaf(LeafBlock leaf) => [new Text(_indent + leaf.Lines.ToString() + "\n")];

        protected override void Text(string text) => Output.Append(Markup.Escape(text));

        protected override void CodeSpan(CodeInline code) => Output.Append("[aqua]").Append(Markup.Escape(code.Content)).Append("[/]");

        protected override void Emphasis(EmphasisInline emphasis)
        {
            var style = emphasis.DelimiterCount >= 2 ? (emphasis.DelimiterChar == '~' ? "strikethrough" : "bold") : "italic";
            Output.Append('[').Append(style).Append(']');
            WriteChildren(emphasis);
            Output.Append("[/]");
        }

        protected override void Link(LinkInline link)
        {
            Output.Append("[underline]");
            WriteChildren(link);
            Output.Append("[/]");
            if (!string.IsNullOrEmpty(link.Url))
            {
                Output.Append(" [grey](").Append(Markup.Escape(link.Url)).Append(")[/]");
            }
        }

        protected override void LineBreak(LineBreakInline lineBreak) => Output.Append('\n');

        private List<IRenderable> Indented(string indent, Block block)
        {
            var outer = _indent;
            _indent += indent;
            var rendered = Block(block);
            _indent = outer;
            return rendered;
        }

        private string CellText(MarkdownTableCell cell) =>
            string.Join(" ", cell.OfType<ParagraphBlock>().Select(paragraph => Inlines(paragraph.Inline)));
    }
}
