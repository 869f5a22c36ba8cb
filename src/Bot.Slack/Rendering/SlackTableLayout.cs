using System.Text;
using Bot.Core.Replies;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Bot.Slack.Rendering;

/// <summary>
/// Lays out a pipe table as monospace text for a code block, since mrkdwn has no tables: aligned
/// columns under a ruled header while the table fits a narrow Slack pane, otherwise one
/// "header: value" record per row. Returns raw text; the caller escapes it.
/// </summary>
internal static class SlackTableLayout
{
    /// <summary>About how many monospace columns a Slack code block shows before wrapping on a laptop.</summary>
    public const int MaxAlignedWidth = 64;

    private const string Gap = "  ";

    public static string Render(Table table)
    {
        var rows = new List<(bool IsHeader, List<string> Cells)>();
        foreach (var row in table.OfType<TableRow>())
        {
            rows.Add((row.IsHeader, row.OfType<TableCell>().Select(CellText).ToList()));
        }

        var columns = rows.Count == 0 ? 0 : rows.Max(row => row.Cells.Count);
        if (columns == 0)
        {
            return "";
        }

        foreach (var row in rows)
        {
            while (row.Cells.Count < columns)
            {
                row.Cells.Add("");
            }
        }

        var widths = new int[columns];
        for (var column = 0; column < columns; column++)
        {
            widths[column] = rows.Max(row => Width(row.Cells[column]));
        }

        var headerRows = rows.TakeWhile(row => row.IsHeader).Count();
        if (columns > 1 && headerRows == 1 && rows.Count > 1 && widths.Sum() + (Gap.Length * (columns - 1)) > MaxAlignedWidth)
        {
            return AsRecords(rows[0].Cells, rows.Skip(1).Select(row => row.Cells));
        }

        var lines = new List<string>();
        for (var index = 0; index < rows.Count; index++)
        {
            var cells = rows[index].Cells.Select((cell, column) => Pad(cell, widths[column], Alignment(table, column)));
            lines.Add(string.Join(Gap, cells).TrimEnd());
            if (index == headerRows - 1)
            {
                lines.Add(string.Join(Gap, widths.Select(width => new string('─', Math.Max(1, width)))));
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Monospace columns taken by <paramref name="text"/>: two for East Asian wide characters and most emoji, none for combining marks.</summary>
    public static int Width(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is System.Globalization.UnicodeCategory.NonSpacingMark
                or System.Globalization.UnicodeCategory.EnclosingMark
                or System.Globalization.UnicodeCategory.Format)
            {
                continue;
            }

            width += rune.Value is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3)
                or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6)
                or (>= 0x1F300 and <= 0x1FAFF) or (>= 0x20000 and <= 0x3FFFD)
                ? 2
                : 1;
        }

        return width;
    }

    private static TableColumnAlign? Alignment(Table table, int column) =>
        column < table.ColumnDefinitions.Count ? table.ColumnDefinitions[column].Alignment : null;

    private static string AsRecords(List<string> headers, IEnumerable<List<string>> rows)
    {
        var names = headers.Select((header, column) => header.Length > 0 ? header : "Column " + (column + 1)).ToList();
        var nameWidth = names.Max(Width) + 1;
        return string.Join("\n\n", rows.Select(cells => string.Join('\n', cells.Select((cell, column) =>
            (Pad(names[column] + ":", nameWidth, TableColumnAlign.Left) + " " + cell).TrimEnd()))));
    }

    private static string Pad(string text, int width, TableColumnAlign? alignment)
    {
        var missing = width - Width(text);
        return missing <= 0 ? text : alignment switch
        {
            TableColumnAlign.Right => new string(' ', missing) + text,
            TableColumnAlign.Center => new string(' ', missing / 2) + text + new string(' ', missing - (missing / 2)),
            _ => text + new string(' ', missing),
        };
    }

    private static string CellText(TableCell cell) =>
        string.Join(' ', cell.OfType<LeafBlock>().Select(block => MarkdownText.PlainText(block.Inline, linkTargets: false).Replace('\n', ' ').Trim()));
}
