using Markdig.Syntax.Inlines;

namespace Bot.Core.Rendering;

/// <summary>The text of inline Markdown without its markup, for places that show no formatting (table cells, labels).</summary>
public static class PlainText
{
    /// <summary>
    /// The text of <paramref name="container"/>. With <paramref name="linkTargets"/>, a link's URL follows
    /// its label in parentheses so the text still says where it points; without, only the label is kept.
    /// </summary>
    public static string Of(ContainerInline? container, bool linkTargets) => new Walker(linkTargets).Inlines(container);

    private sealed class Walker(bool linkTargets) : InlineWalker("")
    {
        protected override void Link(LinkInline link)
        {
            if (!linkTargets)
            {
                base.Link(link);
                return;
            }

            var label = Inlines(link);
            var url = UrlOf(link);
            Output.Append(label);
            if (url.Length > 0 && label != url)
            {
                Output.Append(label.Length > 0 ? " (" + url + ")" : url);
            }
        }
    }
}
