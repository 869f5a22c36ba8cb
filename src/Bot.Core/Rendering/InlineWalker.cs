using System.Text;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Rendering;

/// <summary>
/// One walk over Markdig's inline elements, in the style of Markdig's own renderers: one overridable
/// method per kind of element, each writing to <see cref="Output"/>. Left alone, every method writes
/// the plain text of its element; a platform overrides the elements it writes in its own syntax, and
/// <see cref="Text"/> to escape the text it copies from the Markdown.
/// </summary>
/// <remarks>
/// Not Markdig's <c>TextRendererBase</c> with an object renderer per element: the platforms do not all
/// write one text stream (Slack keeps code apart from lines, the terminal builds Spectre renderables),
/// and they look at what an element wrote before deciding how to close it (Slack drops emphasis markers
/// that would touch white space), which a method per element that returns to its caller allows simply.
/// </remarks>
public abstract class InlineWalker
{
    private StringBuilder _output = new();

    /// <param name="source">The Markdown that was parsed, for walkers that copy elements as they were written.</param>
    protected InlineWalker(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
    }

    /// <summary>The Markdown that was parsed; spans of the syntax tree point into it.</summary>
    protected string Source { get; }

    /// <summary>Where the inlines being walked are written.</summary>
    protected StringBuilder Output => _output;

    /// <summary>The inlines of <paramref name="container"/> as this walker writes them, apart from any output around them.</summary>
    public string Inlines(ContainerInline? container)
    {
        var outer = _output;
        _output = new StringBuilder();
        try
        {
            WriteChildren(container);
            return _output.ToString();
        }
        finally
        {
            _output = outer;
        }
    }

    /// <summary>Writes every inline of <paramref name="container"/> to <see cref="Output"/>, in order.</summary>
    protected void WriteChildren(ContainerInline? container)
    {
        if (container is null)
        {
            return;
        }

        foreach (var inline in container)
        {
            Write(inline);
        }
    }

    /// <summary>Writes <paramref name="inline"/> through the method for its kind.</summary>
    protected void Write(Inline inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                Literal(literal);
                break;
            case EmphasisInline emphasis:
                Emphasis(emphasis);
                break;
            case CodeInline code:
                CodeSpan(code);
                break;
            case LinkInline link:
                Link(link);
                break;
            case AutolinkInline autolink:
                Autolink(autolink);
                break;
            case LineBreakInline lineBreak:
                LineBreak(lineBreak);
                break;
            case HtmlEntityInline entity:
                Entity(entity);
                break;
            case HtmlInline html:
                InlineHtml(html);
                break;
            case DelimiterInline unmatched:
                UnmatchedDelimiter(unmatched);
                break;
            case ContainerInline container:
                WriteChildren(container);
                break;
            default:
                OtherInline(inline);
                break;
        }
    }

    /// <summary>Text taken from the Markdown; a platform escapes what its syntax would read as markup.</summary>
    protected virtual void Text(string text) => Output.Append(text);

    protected virtual void Literal(LiteralInline literal) => Text(literal.Content.ToString());

    protected virtual void Emphasis(EmphasisInline emphasis) => WriteChildren(emphasis);

    protected virtual void CodeSpan(CodeInline code) => Text(code.Content);

    protected virtual void Link(LinkInline link) => WriteChildren(link);

    protected virtual void Autolink(AutolinkInline autolink) => Text(autolink.Url);

    protected virtual void LineBreak(LineBreakInline lineBreak) => Text(" ");

    protected virtual void Entity(HtmlEntityInline entity) => Text(entity.Transcoded.ToString());

    protected virtual void InlineHtml(HtmlInline html) => Text(html.Tag);

    /// <summary>A bracket or marker that opened nothing: it stays, as text, before what followed it.</summary>
    protected virtual void UnmatchedDelimiter(DelimiterInline delimiter)
    {
        Text(delimiter.ToLiteral());
        WriteChildren(delimiter);
    }

    protected virtual void OtherInline(Inline element) => Text(element.ToString() ?? "");

    /// <summary>The URL of a link, reference links resolved.</summary>
    protected static string UrlOf(LinkInline link) => link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";

    /// <summary><paramref name="inline"/> as it is written in <see cref="Source"/>; null when its span is not there.</summary>
    protected string? SourceOf(Inline inline)
    {
        var span = inline.Span;
        return span.Start >= 0 && span.End >= span.Start && span.End < Source.Length
            ? Source[span.Start..(span.End + 1)]
            : null;
    }
}
