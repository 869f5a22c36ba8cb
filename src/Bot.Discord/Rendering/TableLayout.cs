using System.Globalization;
using System.Text;
using Bot.Core.Replies;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Bot.Discord.Rendering;

/// <summary>
/// Lays out a pipe table as monospace text, since Discord renders no tables: aligned columns when the
/// table is narrow enough to read without wrapping, otherwise one "header: value" record per row.
/// </summary>
internal static class TableLayout
{
    /// <summary>About what a code block in an embed shows on one line before it wraps.</summary>
    public const int MaxAlignedWidth = 60;

    private const string ColumnSeparator = " | ";

    public static string Render(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.OfType<TableRow>()
            .Select(row => (row.IsHeader, Cells: row.OfType<TableCell>().Select(CellText).ToList()))
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
        var alignedWidth = widths.Sum() + (ColumnSeparator.Length * (columns - 1));
        var headers = rows.TakeWhile(row => row.IsHeader).ToList();
        if (alignedWidth > MaxAlignedWidth && columns > 1 && headers.Count == 1 && rows.Count > 1)
        {
            return Records(headers[0].Cells, [.. rows.Skip(1).Select(row => row.Cells)]);
        }

        var alignments = Enumerable.Range(0, columns)
            .Select(column => column < table.ColumnDefinitions.Count ? table.ColumnDefinitions[column].Alignment : null)
            .ToArray();
        var lines = new List<string>();
        for (var index = 0; index < rows.Count; index++)
        {
            lines.Add(string.Join(ColumnSeparator, rows[index].Cells.Select((cell, column) => Pad(cell, widths[column], alignments[column]))).TrimEnd());
            if (index == headers.Count - 1)
            {
                lines.Add(string.Join("-+-", widths.Select(width => new string('-', Math.Max(1, width)))));
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>Columns a terminal-like monospace font gives <paramref name="text"/>: wide East Asian characters and emoji take two, marks none.</summary>
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
        >= 0x1F900 and <= 0x1F9FF => true,
        >= 0x20000 and <= 0x3FFFD => true,
        _ => false,
    };

    private static string Records(List<string> headers, List<List<string>> rows)
    {
        var names = headers.Select((header, column) => header.Length > 0 ? header : $"Column {column + 1}").ToList();
        var nameWidth = names.Max(DisplayWidth) + 1;
        return string.Join("\n\n", rows.Select(row => string.Join('\n', row.Select((cell, column) =>
            $"{Pad(names[column] + ":", nameWidth, TableColumnAlign.Left)} {cell}".TrimEnd()))));
    }

    private static string Pad(string text, int width, TableColumnAlign? alignment)
    {
        var missing = width - DisplayWidth(text);
        if (missing <= 0)
        {
            return text;
        }

        return alignment switch
        {
            TableColumnAlign.Right => new string(' ', missing) + text,
            TableColumnAlign.Center => new string(' ', missing / 2) + text + new string(' ', missing - (missing / 2)),
            _ => text + new string(' ', missing),
        };
    }

    private static string CellText(TableCell cell) =>
        string.Join(" ", cell.OfType<LeafBlock>().Select(block => MarkdownText.PlainText(block.Inline, linkTargets: true).Trim()));
}
