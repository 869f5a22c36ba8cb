using System.Globalization;
using System.Text;

namespace Bot.RegexEngine;

/// <summary>Python's <c>repr()</c> of the values <c>re</c> returns: str, None, lists and tuples of them.</summary>
public static class PythonRepr
{
    public static string Of(string? text)
    {
        if (text is null)
        {
            return "None";
        }

        // Like CPython: single quotes unless the text has a ' and no ".
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder().Append(quote);
        foreach (var codePoint in CodePoints.FromText(text))
        {
            switch (codePoint)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                default:
                    if (codePoint == quote)
                    {
                        builder.Append('\\').Append(quote);
                    }
                    else if (IsPrintable(codePoint))
                    {
                        CodePoints.Append(builder, codePoint);
                    }
                    else
                    {
                        builder.Append(codePoint switch
                        {
                            < 0x100 => string.Create(CultureInfo.InvariantCulture, $"\\x{codePoint:x2}"),
                            < 0x10000 => string.Create(CultureInfo.InvariantCulture, $"\\u{codePoint:x4}"),
                            _ => string.Create(CultureInfo.InvariantCulture, $"\\U{codePoint:x8}"),
                        });
                    }

                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    /// <summary>A Python list of str (or None): <c>['a', None]</c>.</summary>
    public static string List(IEnumerable<string?> items) => "[" + string.Join(", ", items.Select(Of)) + "]";

    /// <summary>A Python tuple of str: <c>('a',)</c> for one item, as Python writes it.</summary>
    public static string Tuple(IReadOnlyList<string> items) =>
        items.Count == 1 ? $"({Of(items[0])},)" : "(" + string.Join(", ", items.Select(Of)) + ")";

    /// <summary>str.isprintable: not a control, format, surrogate, private-use, unassigned or separator character other than space.</summary>
    private static bool IsPrintable(int codePoint) =>
        codePoint == ' ' || CharUnicodeInfo.GetUnicodeCategory(codePoint) is not (UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
}
