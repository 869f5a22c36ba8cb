using System.Text;
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
            console.Write(new Markup($"[italic]{InlineMarkdown(reply.Summary)}[/]\n\n"));
        }

        foreach (var renderable in RenderMarkdown(reply.Body))
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

    private static IEnumerable<IRenderable> RenderMarkdown(string markdown)
    {
        var document = MarkdownDialect.Parse(markdown);
        foreach (var block in document)
        {
            foreach (var renderable in RenderBlock(block, indent: ""))
            {
                yield return renderable;
            }
        }
    }

    private static IEnumerable<IRenderable> RenderBlock(Block block, string indent)
    {
        switch (block)
        {
            case HeadingBlock heading:
                yield return new Markup($"{indent}[bold yellow]{Inlines(heading.Inline)}[/]\n\n");
                break;
            case ParagraphBlock paragraph:
                yield return new Markup($"{indent}{Inlines(paragraph.Inline)}\n\n");
                break;
            case FencedCodeBlock or CodeBlock:
                var code = (LeafBlock)block;
                var language = (block as FencedCodeBlock)?.Info;
                var panel = new Panel(new Text(code.Lines.ToString().TrimEnd('\n'), new Style(Color.Aqua)))
                    .Border(BoxBorder.Rounded)
                    .BorderColor(Color.Grey);
                if (!string.IsNullOrEmpty(language))
                {
                    panel.Header($"[grey]{Markup.Escape(language)}[/]");
                }

                yield return new Padder(panel, new Padding(indent.Length, 0, 0, 1));
                break;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}." : "•";
                    var first = true;
                    foreach (var child in item)
                    {
                        if (first && child is ParagraphBlock itemParagraph)
                        {
                            yield return new Markup($"{indent}{bullet} {Inlines(itemParagraph.Inline)}\n");
                        }
                        else
                        {
                            foreach (var nested in RenderBlock(child, indent + "   "))
                            {
                                yield return nested;
                            }
                        }

                        first = false;
                    }
                }

                yield return new Text("\n");
                break;
            case QuoteBlock quote:
                foreach (var child in quote)
                {
                    foreach (var nested in RenderBlock(child, indent + "│ "))
                    {
                        yield return nested;
                    }
                }

                break;
            case MarkdownTable table:
                yield return RenderTable(table);
                break;
            case ThematicBreakBlock:
                yield return new Rule().RuleStyle(Style.Parse("grey"));
                break;
            case LeafBlock leaf:
                yield return new Text(indent + leaf.Lines.ToString() + "\n");
                break;
        }
    }

    private static Spectre.Console.Table RenderTable(MarkdownTable table)
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

        return rendered;

        static string CellText(MarkdownTableCell cell) =>
            string.Join(" ", cell.OfType<ParagraphBlock>().Select(paragraph => Inlines(paragraph.Inline)));
    }

    /// <summary>A one-paragraph Markdown text (a summary) as Spectre markup.</summary>
    private static string InlineMarkdown(string text) =>
        MarkdownDialect.Parse(text).FirstOrDefault() is ParagraphBlock paragraph
            ? Inlines(paragraph.Inline)
            : Markup.Escape(text);

    private static string Inlines(ContainerInline? container)
    {
        var builder = new StringBuilder();
        if (container is not null)
        {
            AppendInlines(container, builder);
        }

        return builder.ToString();
    }

    private static void AppendInlines(ContainerInline container, StringBuilder builder)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(Markup.Escape(literal.Content.ToString()));
                    break;
                case CodeInline code:
                    builder.Append("[aqua]").Append(Markup.Escape(code.Content)).Append("[/]");
                    break;
                case EmphasisInline emphasis:
                    var style = emphasis.DelimiterCount >= 2 ? (emphasis.DelimiterChar == '~' ? "strikethrough" : "bold") : "italic";
                    builder.Append('[').Append(style).Append(']');
                    AppendInlines(emphasis, builder);
                    builder.Append("[/]");
                    break;
                case LinkInline link:
                    builder.Append("[underline]");
                    AppendInlines(link, builder);
                    builder.Append("[/]");
                    if (!string.IsNullOrEmpty(link.Url))
                    {
                        builder.Append(" [grey](").Append(Markup.Escape(link.Url)).Append(")[/]");
                    }

                    break;
                case LineBreakInline:
                    builder.Append('\n');
                    break;
                case HtmlEntityInline entity:
                    builder.Append(Markup.Escape(entity.Transcoded.ToString()));
                    break;
                case ContainerInline nested:
                    AppendInlines(nested, builder);
                    break;
                default:
                    builder.Append(Markup.Escape(inline.ToString() ?? ""));
                    break;
            }
        }
    }
}
