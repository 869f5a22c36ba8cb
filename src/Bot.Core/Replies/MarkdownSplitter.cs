using System.Text;
using Bot.Core.Rendering;
using Markdig.Syntax;

namespace Bot.Core.Replies;

/// <summary>
/// Cuts Markdown into chunks no longer than a renderer's limit. Cuts fall between top-level
/// blocks where possible, then between lines, then between words. A code block is never cut open:
/// one that does not fit is re-fenced piece by piece, so every chunk renders on its own.
/// </summary>
public static class MarkdownSplitter
{
    /// <summary>Below this a fence plus one line of code could not fit in a chunk.</summary>
    public const int MinimumLimit = 32;

    public static IReadOnlyList<string> Split(string markdown, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, MinimumLimit);
        var text = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (text.Length == 0)
        {
            return [];
        }

        if (text.Length <= maxLength)
        {
            return [text];
        }

        var document = MarkdownDialect.Parse(text);
        var pieces = new List<(string Separator, string Text)>();
        var previousEnd = 0;
        foreach (var block in document)
        {
            var start = block.Span.Start;
            var end = Math.Min(text.Length, block.Span.End + 1);
            if (start < previousEnd || end <= start)
            {
                continue;
            }

            var separator = text[previousEnd..start];
            var blockText = text[start..end];
            if (blockText.Length <= maxLength)
            {
                pieces.Add((separator, blockText));
            }
            else
            {
                var first = true;
                foreach (var part in BreakBlock(block, blockText, start, maxLength))
                {
                    pieces.Add((first ? separator : "\n", part));
                    first = false;
                }
            }

            previousEnd = end;
        }

        if (previousEnd < text.Length && text[previousEnd..].Trim().Length > 0)
        {
            pieces.Add(("\n", text[previousEnd..].Trim()));
        }

        return Pack(pieces, maxLength);
    }

    private static List<string> Pack(List<(string Separator, string Text)> pieces, int maxLength)
    {
        var chunks = new List<string>();
        var current = new StringBuilder();
        foreach (var (separator, piece) in pieces)
        {
            if (current.Length > 0 && current.Length + separator.Length + piece.Length > maxLength)
            {
                chunks.Add(current.ToString().Trim());
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append(separator);
            }

            current.Append(piece);
        }

        if (current.Length > 0)
        {
            chunks.Add(current.ToString().Trim());
        }

        return [.. chunks.Where(chunk => chunk.Length > 0)];
    }

    /// <summary>
    /// Units of a block too long for one chunk: a code fence as a whole, or a single line outside
    /// any fence. Units are then packed, and a unit that alone is too long is broken further.
    /// </summary>
    private static IEnumerable<string> BreakBlock(Block block, string blockText, int blockStart, int maxLength)
    {
        var fences = block is FencedCodeBlock own
            ? [own]
            : block.Descendants<FencedCodeBlock>().ToList();
        var units = new List<(string Text, FencedCodeBlock? Fence)>();
        var position = 0;
        foreach (var fence in fences.OrderBy(fence => fence.Span.Start))
        {
            var fenceStart = LineStart(blockText, Math.Max(0, fence.Span.Start - blockStart));
            var fenceEnd = Math.Min(blockText.Length, fence.Span.End + 1 - blockStart);
            if (fenceStart < position)
            {
                continue;
            }

            units.AddRange(Lines(blockText[position..fenceStart]).Select(line => (line, (FencedCodeBlock?)null)));
            units.Add((blockText[fenceStart..fenceEnd], fence));
            position = fenceEnd;
        }

        units.AddRange(Lines(blockText[position..]).Select(line => (line, (FencedCodeBlock?)null)));

        var packed = new StringBuilder();
        foreach (var (unit, fence) in units)
        {
            var parts = unit.Length <= maxLength
                ? [unit]
                : fence is not null ? Refence(fence, maxLength) : SplitWords(unit, maxLength);
            foreach (var part in parts)
            {
                if (packed.Length > 0 && packed.Length + 1 + part.Length > maxLength)
                {
                    yield return packed.ToString();
                    packed.Clear();
                }

                if (packed.Length > 0)
                {
                    packed.Append('\n');
                }

                packed.Append(part);
            }
        }

        if (packed.Length > 0)
        {
            yield return packed.ToString();
        }
    }

    private static int LineStart(string text, int offset)
    {
        var newline = offset == 0 ? -1 : text.LastIndexOf('\n', Math.Min(offset, text.Length) - 1);
        return newline + 1;
    }

    private static string[] Lines(string text) =>
        text.Trim('\n').Length == 0 ? [] : text.Trim('\n').Split('\n');

    /// <summary>Re-wraps the code of a fence too long for one chunk into several complete fences.</summary>
    private static List<string> Refence(FencedCodeBlock fence, int maxLength)
    {
        var marker = new string(fence.FencedChar, Math.Max(3, fence.OpeningFencedCharCount));
        var info = string.Join(' ', new[] { fence.Info, fence.Arguments }.Where(part => !string.IsNullOrEmpty(part)));
        var opener = marker + info + "\n";
        var closer = "\n" + marker;
        var room = maxLength - opener.Length - closer.Length;
        if (room < 1)
        {
            opener = marker + "\n";
            room = maxLength - opener.Length - closer.Length;
        }

        var pieces = new List<string>();
        var code = new StringBuilder();
        foreach (var line in fence.Lines.ToString().Split('\n'))
        {
            foreach (var segment in line.Length <= room ? [line] : line.Chunk(room).Select(chars => new string(chars)))
            {
                if (code.Length > 0 && code.Length + 1 + segment.Length > room)
                {
                    pieces.Add(opener + code + closer);
                    code.Clear();
                }

                if (code.Length > 0)
                {
                    code.Append('\n');
                }

                code.Append(segment);
            }
        }

        if (code.Length > 0)
        {
            pieces.Add(opener + code + closer);
        }

        return pieces;
    }

    private static List<string> SplitWords(string line, int maxLength)
    {
        var parts = new List<string>();
        var rest = line;
        while (rest.Length > maxLength)
        {
            var cut = rest.LastIndexOf(' ', maxLength);
            if (cut <= 0)
            {
                cut = maxLength;
            }

            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return parts;
    }
}
