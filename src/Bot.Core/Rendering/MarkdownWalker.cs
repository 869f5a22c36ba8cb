using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Bot.Core.Rendering;

/// <summary>
/// One walk over Markdig's blocks as well as its inlines: <see cref="Block"/> sends each kind of block
/// to its method, in one place and one order, and a platform writes each kind in its own syntax as a
/// <typeparamref name="TBlock"/> (a string for Discord, lines and code for Slack, renderables for the terminal).
/// </summary>
public abstract class MarkdownWalker<TBlock> : InlineWalker
{
    protected MarkdownWalker(string source)
        : base(source)
    {
    }

    /// <summary>What a block that shows nothing becomes: link reference definitions, empty code.</summary>
    protected abstract TBlock Empty { get; }

    /// <summary><paramref name="block"/> written by the method for its kind.</summary>
    public TBlock Block(Block block) => block switch
    {
        HeadingBlock heading => Heading(heading),
        Table table => Table(table),
        CodeBlock code => CodeOrEmpty(code),
        ParagraphBlock paragraph => Paragraph(paragraph),
        ListBlock list => List(list),
        QuoteBlock quote => Quote(quote),
        ThematicBreakBlock => ThematicBreak(),

        // References are resolved into the links that use them; the definitions themselves show nothing.
        LinkReferenceDefinitionGroup or LinkReferenceDefinition => Empty,
        HtmlBlock html => Html(html),
        ContainerBlock container => OtherContainer(container),
        LeafBlock leaf => OtherLeaf(leaf),
        _ => Empty,
    };

    protected abstract TBlock Heading(HeadingBlock heading);

    protected abstract TBlock Table(Table table);

    /// <param name="code">The code, without the fences and the indentation of the block, never blank.</param>
    /// <param name="info">The language of a fenced block; empty for an indented one or none given.</param>
    protected abstract TBlock Code(string code, string info);

    protected abstract TBlock Paragraph(ParagraphBlock paragraph);

    protected abstract TBlock List(ListBlock list);

    protected abstract TBlock Quote(QuoteBlock quote);

    protected abstract TBlock ThematicBreak();

    protected abstract TBlock Html(HtmlBlock html);

    protected abstract TBlock OtherContainer(ContainerBlock container);

    protected abstract TBlock OtherLeaf(LeafBlock leaf);

    /// <summary>
    /// The items of <paramref name="list"/>, each with the number it shows in an ordered list: the one
    /// written before it, or for an item written without one, counting on from the list's start.
    /// </summary>
    protected static IEnumerable<(ListItemBlock Item, int Number)> Items(ListBlock list)
    {
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            yield return (item, item.Order > 0 ? item.Order : number);
            number++;
        }
    }

    private TBlock CodeOrEmpty(CodeBlock block)
    {
        var code = block.Lines.ToString().TrimEnd('\n');
        return code.Trim().Length == 0 ? Empty : Code(code, (block as FencedCodeBlock)?.Info ?? "");
    }
}
