using System.Globalization;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Bot.Core.Rendering;

/// <summary>What a platform's monospace table looks like; everything else about the layout is shared.</summary>
/// <param name="MaxAlignedWidth">The widest table, in monospace columns, still laid out in aligned columns: about what the platform's code block shows before it wraps.</param>
/// <param name="ColumnGap">What stands between two columns.</param>
/// <param name="Rule">The character of the line under the header.</param>
/// <param name="RuleJoint">What the line under the header has where a <paramref name="ColumnGap"/> is.</param>
/// <param name="LinkTargets">Whether a link's URL follows its label in a cell, since a code block cannot link.</param>
public sealed record TableStyle(int MaxAlignedWidth, string ColumnGap, char Rule, string RuleJoint, bool LinkTargets);

/// <summary>
/// Lays out a pipe table as monospace text for a code block, since neither Discord nor Slack renders
/// tables: aligned columns under a ruled header while the table is narrow enough to read without
/// wrapping, otherwise one "header: value" record per row. Returns raw text; the caller fences and escapes it.
/// </summary>
public static class TableLayout
{
    public static string Render(Table table, TableStyle style)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(style);
        var rows = table.OfType<TableRow>()
            .Select(row => (row.IsHeader, Cells: row.OfType<TableCell>().Select(cell => CellText(cell, style.LinkTargets)).ToList()))
            .ToList();
        var columns = rows.Count == 0 ? 0 : rows.Max(row => row.Cells.Count);
        if (columns == 0)
        {
            return "";
        }

        foreach (var (_, cells) in rows)
        {
            cells.AddRange(Enumerable.Repeat("", columns - cells.Count));
        }

        var widths = Enumerable.Range(0, columns)
            .Select(column => rows.Max(row => DisplayWidth(row.Cells[column])))
            .ToArray();
        var alignedWidth = widths.Sum() + (style.ColumnGap.Length * (columns - 1));
        var headerRows = rows.TakeWhile(row => row.IsHeader).Count();
        if (alignedWidth > style.MaxAlignedWidth && columns > 1 && headerRows == 1 && rows.Count > 1)
        {
            return Records(rows[0].Cells, rows.Skip(1).Select(row => row.Cells));
        }

        var alignments = Enumerable.Range(0, columns)
            .Select(column => column < table.ColumnDefinitions.Count ? table.ColumnDefinitions[column].Alignment : null)
            .ToArray();
        var lines = new List<string>();
        for (var index = 0; index < rows.Count; index++)
        {
            lines.Add(string.Join(style.ColumnGap, rows[index].Cells.Select((cell, column) => Pad(cell, widths[column], alignments[column]))).TrimEnd());
            if (index == headerRows - 1)
            {
                lines.Add(string.Join(style.RuleJoint, widths.Select(width => new string(style.Rule, Math.Max(1, width)))));
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// Columns a monospace font gives <paramref name="text"/>: two for East Asian wide and full-width
    /// characters and most emoji, none for combining marks, format and control characters.
    /// </summary>
    public static int DisplayWidth(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control => 0,
                _ => IsWide(rune.Value) ? 2 : 1,
            };
        }

        return width;
    }

    /// <summary>The wide (W) and full-width (F) ranges of Unicode's East Asian Width, and the emoji blocks drawn two columns wide.</summary>
    private static bool IsWide(int value) => value switch
    {
        >= 0x1100 and <= 0x115F => true,
        >= 0x2E80 and <= 0x303E => true,
        >= 0x3041 and <= 0x33FF => true,
        >= 0x3400 and <= 0x4DBF => true,
        >= 0x4E00 and <= 0x9FFF => true,
        >= 0xA000 and <= 0xA4CF => true,
        >= 0xAC00 and <= 0xD7A3 => true,
        >= 0xF900 and <= 0xFAFF => true,
        >= 0xFE30 and <= 0xFE4F => true,
        >= 0xFF00 and <= 0xFF60 => true,
        >= 0xFFE0 and <= 0xFFE6 => true,
        >= 0x1F300 and <= 0x1F64F => true,
        >= 0x1F680 and <= 0x1F6FF => true,
        >= 0x1F7E0 and <= 0x1F7EB => true,
        >= 0x1F900 and <= 0x1F9FF => true,
        >= 0x1FA70 and <= 0x1FAFF => true,
        >= 0x20000 and <= 0x3FFFD => true,
        _ => false,
    };

    private static string Records(List<string> headers, IEnumerable<List<string>> rows)
    {
        var names = headers.Select((header, column) => header.Length > 0 ? header : $"Column {column + 1}").ToList();
        var nameWidth = names.Max(DisplayWidth) + 1;
        return string.Join("\n\n", rows.Select(cells => string.Join('\n', cells.Select((cell, column) =>
            $"{Pad(names[column] + ":", nameWidth, TableColumnAlign.Left)} {cell}".TrimEnd()))));
    }

    private static string Pad(string text, int width, TableColumnAlign? alignment)
    {
        var missing = width - DisplayWidth(text);
        return missing <= 0 ? text : alignment switch
        {
            TableColumnAlign.Right => new string(' ', missing) + text,
            TableColumnAlign.Center => new string(' ', missing / 2) + text + new string(' ', missing - (missing / 2)),
            _ => text + new string(' ', missing),
        };
    }

    private static string CellText(TableCell cell, bool linkTargets) =>
        string.Join(' ', cell.OfType<LeafBlock>().Select(block => PlainText.Of(block.Inline, linkTargets).Replace('\n', ' ').Trim()));
}
