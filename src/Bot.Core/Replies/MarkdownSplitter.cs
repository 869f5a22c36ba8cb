using System.Text;
using Bot.Core.Rendering;
using Markdig.Syntax;

namespace Bot.Core.Replies;

/// <summary>
/// Cuts Markdown into chunks no longer than a renderer's limit. Cuts fall between top-level
/// blocks where possible, then between lines, then between words, and a word (or line of code) too
/// long for a chunk is cut between whole text elements (<see cref="TextClip.CutPoint"/>), never inside
/// an emoji sequence or a flag. A code block is never cut open:
/// one that does not fit is re-fenced piece by piece, so every chunk renders on its own, and the
/// pieces of a code block in a list item or a quote keep its indentation.
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
                chunks.Add(TrimChunk(current.ToString()));
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
            chunks.Add(TrimChunk(current.ToString()));
        }

        return [.. chunks.Where(chunk => chunk.Length > 0)];
    }

    /// <summary>
    /// A chunk without white space around it. One that starts inside a list item (the rest of an item,
    /// a code block of it) loses the item's indentation on every line that has it, not on the first
    /// alone: a code block whose fence lost it and whose code kept it would show the code shifted.
    /// </summary>
    private static string TrimChunk(string chunk)
    {
        var lines = chunk.TrimEnd().Split('\n').SkipWhile(line => line.Trim().Length == 0).ToList();
        if (lines.Count == 0)
        {
            return "";
        }

        var indent = lines[0][..(lines[0].Length - lines[0].TrimStart().Length)];
        return indent.Length == 0
            ? string.Join('\n', lines)
            : string.Join('\n', lines.Select(line => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line));
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
        var units = new List<(string Text, FencedCodeBlock? Fence, string Opening)>();
        var position = 0;
        foreach (var fence in fences.OrderBy(fence => fence.Span.Start))
        {
            var fenceStart = LineStart(blockText, Math.Max(0, fence.Span.Start - blockStart));
            var fenceEnd = Math.Min(blockText.Length, fence.Span.End + 1 - blockStart);
            if (fenceStart < position)
            {
                continue;
            }

            units.AddRange(Lines(blockText[position..fenceStart]).Select(line => (line, (FencedCodeBlock?)null, "")));

            // What stands before the fence on its line: the indentation, list marker or quote marker of its container.
            var opening = blockText[fenceStart..Math.Max(fenceStart, fence.Span.Start - blockStart)];
            units.Add((blockText[fenceStart..fenceEnd], fence, opening));
            position = fenceEnd;
        }

        units.AddRange(Lines(blockText[position..]).Select(line => (line, (FencedCodeBlock?)null, "")));

        var packed = new StringBuilder();
        foreach (var (unit, fence, opening) in units)
        {
            var parts = unit.Length <= maxLength
                ? [unit]
                : fence is not null ? Refence(fence, opening, maxLength) : SplitWords(unit, maxLength);
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

    /// <summary>
    /// Re-wraps the code of a fence too long for one chunk into several complete fences. The first
    /// fence line starts with <paramref name="opening"/>, as the original did; every other line with the
    /// indentation of the fence's container (a list item's spaces, a quote's marker), so that the pieces
    /// stay where the code was and the code keeps its own indentation.
    /// </summary>
    private static List<string> Refence(FencedCodeBlock fence, string opening, int maxLength)
    {
        var marker = new string(fence.FencedChar, Math.Max(3, fence.OpeningFencedCharCount));
        var info = string.Join(' ', new[] { fence.Info, fence.Arguments }.Where(part => !string.IsNullOrEmpty(part)));
        var indent = new string([.. opening.Select(character => character == '>' || char.IsWhiteSpace(character) ? character : ' ')]);
        if (LineRoom(opening, indent, marker, info, maxLength) < 1)
        {
            info = "";
        }

        if (LineRoom(opening, indent, marker, info, maxLength) < 1)
        {
            // Too deep to indent within the limit: the code leaves its container but stays whole.
            opening = indent = "";
        }

        var pieces = new List<string>();
        var code = new StringBuilder();
        var lineRoom = LineRoom(opening, indent, marker, info, maxLength);
        var codeRoom = lineRoom + indent.Length;
        foreach (var line in fence.Lines.ToString().Split('\n'))
        {
            foreach (var segment in line.Length <= lineRoom ? [line] : TextClip.Pieces(line, lineRoom))
            {
                var indented = segment.Length == 0 ? indent.TrimEnd() : indent + segment;
                if (code.Length > 0 && code.Length + 1 + indented.Length > codeRoom)
                {
                    Flush();
                }

                if (code.Length > 0)
                {
                    code.Append('\n');
                }

                code.Append(indented);
            }
        }

        if (code.Length > 0)
        {
            Flush();
        }

        return pieces;

        void Flush()
        {
            pieces.Add((pieces.Count == 0 ? opening : indent) + marker + info + "\n" + code + "\n" + indent + marker);
            code.Clear();
        }
    }

    /// <summary>How many characters of one line of code fit in a fence, besides its two fence lines and the line's indentation.</summary>
    private static int LineRoom(string opening, string indent, string marker, string info, int maxLength) =>
        maxLength - (Math.Max(opening.Length, indent.Length) + marker.Length + info.Length) - "\n\n".Length - (indent.Length + marker.Length) - indent.Length;

    private static List<string> SplitWords(string line, int maxLength)
    {
        var parts = new List<string>();
        var rest = line;
        while (rest.Length > maxLength)
        {
            var cut = rest.LastIndexOf(' ', maxLength);
            if (cut <= 0)
            {
                cut = TextClip.CutPoint(rest, maxLength);
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
