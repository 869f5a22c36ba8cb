using System.Globalization;
using System.Text;
using Bot.RegexEngine;

namespace Bot.Core.RegexTest;

/// <summary>
/// Draws the test text with carets under each match and a labelled line per capture group, in a
/// monospace block. Columns follow display width: wide (CJK, emoji) characters take two, combining
/// marks none, and control characters are shown as visible symbols.
/// </summary>
internal static class MatchMarks
{
    private const int MaxLines = 12;
    private const int MaxColumns = 100;

    public static string Render(int[] text, IReadOnlyList<RegexMatch> matches, PythonRegex regex)
    {
        var names = regex.GroupNames.ToDictionary(entry => entry.Value, entry => entry.Key);
        var output = new List<string>();
        var lineStart = 0;
        var shownLines = 0;
        var hiddenLines = 0;
        while (lineStart <= text.Length)
        {
            var lineEnd = Array.IndexOf(text, '\n', lineStart);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            var spansOnLine = matches.Any(match => Touches(match.Span, lineStart, lineEnd));
            if (spansOnLine || text.Length == 0)
            {
                if (shownLines == MaxLines)
                {
                    hiddenLines++;
                }
                else
                {
                    shownLines++;
                    RenderLine(text, lineStart, lineEnd, matches, names, output);
                }
            }

            lineStart = lineEnd + 1;
        }

        if (hiddenLines > 0)
        {
            output.Add($"… {hiddenLines} more line(s) with matches");
        }

        return string.Join('\n', output);
    }

    /// <summary>The pattern with a caret under one code-point position (an error's position).</summary>
    public static string Caret(int[] pattern, int position)
    {
        var (shown, columns) = Display(pattern, 0, pattern.Length);
        var at = Math.Min(columns[Math.Clamp(position, 0, columns.Length - 1)], MaxColumns);
        return shown + "\n" + new string(' ', at) + "^";
    }

    /// <summary>The pattern with carets under code points <paramref name="start"/>..<paramref name="end"/>.</summary>
    public static string Underline(int[] pattern, int start, int end)
    {
        var (shown, columns) = Display(pattern, 0, pattern.Length);
        var marks = new StringBuilder();
        Mark(marks, columns, start, end, '^');
        return shown + "\n" + marks.ToString().TrimEnd();
    }

    private static void RenderLine(int[] text, int start, int end, IReadOnlyList<RegexMatch> matches, Dictionary<int, string> names, List<string> output)
    {
        var (shown, columns) = Display(text, start, end);
        var labelColumn = Math.Min(columns[^1], MaxColumns) + 3;
        var matchLine = new StringBuilder();
        foreach (var match in matches.Where(match => Touches(match.Span, start, end)))
        {
            Mark(matchLine, columns, match.Span.Start - start, match.Span.End - start, '^');
        }

        output.Add(shown);
        output.Add(Label(matchLine, labelColumn, "match"));
        var groupCount = matches.Count == 0 ? 0 : matches[0].Groups.Count;
        for (var group = 1; group <= groupCount; group++)
        {
            var groupLine = new StringBuilder();
            var any = false;
            foreach (var match in matches)
            {
                if (match.Groups[group - 1] is { } span && Touches(span, start, end))
                {
                    Mark(groupLine, columns, span.Start - start, span.End - start, '~');
                    any = true;
                }
            }

            if (any)
            {
                output.Add(Label(groupLine, labelColumn, names.TryGetValue(group, out var name) ? $"group {group} ({name})" : $"group {group}"));
            }
        }
    }

    /// <summary>The visible text of code points start..end and the display column where each one starts (plus the end column).</summary>
    private static (string Text, int[] Columns) Display(int[] text, int start, int end)
    {
        var builder = new StringBuilder();
        var columns = new int[end - start + 1];
        var column = 0;
        for (var index = start; index < end; index++)
        {
            columns[index - start] = column;
            if (column >= MaxColumns)
            {
                continue;
            }

            var codePoint = text[index];
            var (visible, width) = codePoint switch
            {
                '\t' => ("→", 1),
                '\r' => ("←", 1),
                < 0x20 or 0x7f => ("·", 1),
                _ => (CodePoints.Display(codePoint), Width(codePoint)),
            };
            builder.Append(visible);
            column += width;
            if (column >= MaxColumns && index + 1 < end)
            {
                builder.Append('…');
            }
        }

        columns[end - start] = column;
        return (builder.ToString(), columns);
    }

    private static void Mark(StringBuilder line, int[] columns, int start, int end, char mark)
    {
        start = Math.Clamp(start, 0, columns.Length - 1);
        end = Math.Clamp(end, 0, columns.Length - 1);
        var from = Math.Min(columns[start], MaxColumns);
        var to = Math.Min(columns[end], MaxColumns);
        if (line.Length < from)
        {
            line.Append(' ', from - line.Length);
        }

        if (to == from)
        {
            // An empty match: a bar where it happened.
            Put(line, from, '|');
            return;
        }

        for (var column = from; column < to; column++)
        {
            Put(line, column, mark);
        }
    }

    private static void Put(StringBuilder line, int column, char mark)
    {
        if (line.Length <= column)
        {
            line.Append(' ', column - line.Length + 1);
        }

        line[column] = mark;
    }

    private static string Label(StringBuilder line, int column, string label)
    {
        if (line.Length < column)
        {
            line.Append(' ', column - line.Length);
        }
        else
        {
            line.Append("  ");
        }

        return line.Append(label).ToString();
    }

    private static bool Touches((int Start, int End) span, int lineStart, int lineEnd) =>
        span.Start <= lineEnd && span.End >= lineStart && !(span.Start == lineEnd && span.End > lineEnd);

    /// <summary>Terminal and chat-client display width: 0 for combining marks, 2 for East Asian wide and emoji.</summary>
    private static int Width(int codePoint)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }

        return codePoint switch
        {
            >= 0x1100 and <= 0x115F or >= 0x2E80 and <= 0x303E or >= 0x3041 and <= 0x33FF or >= 0x3400 and <= 0x4DBF
                or >= 0x4E00 and <= 0x9FFF or >= 0xA000 and <= 0xA4CF or >= 0xAC00 and <= 0xD7A3 or >= 0xF900 and <= 0xFAFF
                or >= 0xFE30 and <= 0xFE4F or >= 0xFF00 and <= 0xFF60 or >= 0xFFE0 and <= 0xFFE6 or >= 0x1F300 and <= 0x1F64F
                or >= 0x1F900 and <= 0x1F9FF or >= 0x20000 and <= 0x3FFFD => 2,
            _ => 1,
        };
    }
}
