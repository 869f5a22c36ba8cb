using System.Text;
using Markdig.Syntax.Inlines;

namespace Bot.Core.Replies;

/// <summary>Helpers for putting user-supplied text into Markdown safely.</summary>
public static class MarkdownText
{
    /// <summary>Escapes every ASCII punctuation character so the text renders literally.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var character in text)
        {
            if (character is '\r' or '\n')
            {
                builder.Append(' ');
                continue;
            }

            if (char.IsAsciiLetterOrDigit(character) || character == ' ' || character > 127)
            {
                builder.Append(character);
                continue;
            }

            builder.Append('\\').Append(character);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The text of inline Markdown without its markup, for places that show no formatting (table
    /// cells, labels). With <paramref name="linkTargets"/>, a link's URL follows its label in
    /// parentheses so the table still says where it points; without, only the label is kept.
    /// </summary>
    public static string PlainText(ContainerInline? container, bool linkTargets)
    {
        var builder = new StringBuilder();
        AppendPlain(container, linkTargets, builder);
        return builder.ToString();
    }

    private static void AppendPlain(ContainerInline? container, bool linkTargets, StringBuilder builder)
    {
        if (container is null)
        {
            return;
        }

        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    builder.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    builder.Append(code.Content);
                    break;
                case LinkInline link when linkTargets:
                    var before = builder.Length;
                    AppendPlain(link, linkTargets, builder);
                    var url = link.GetDynamicUrl?.Invoke() ?? link.Url;
                    if (!string.IsNullOrEmpty(url) && builder.ToString(before, builder.Length - before) != url)
                    {
                        builder.Append(builder.Length > before ? " (" + url + ")" : url);
                    }

                    break;
                case AutolinkInline autolink:
                    builder.Append(autolink.Url);
                    break;
                case LineBreakInline:
                    builder.Append(' ');
                    break;
                case HtmlEntityInline entity:
                    builder.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    builder.Append(html.Tag);
                    break;
                case DelimiterInline unmatched:
                    builder.Append(unmatched.ToLiteral());
                    AppendPlain(unmatched, linkTargets, builder);
                    break;
                case ContainerInline nested:
                    AppendPlain(nested, linkTargets, builder);
                    break;
                default:
                    builder.Append(inline.ToString());
                    break;
            }
        }
    }
}
