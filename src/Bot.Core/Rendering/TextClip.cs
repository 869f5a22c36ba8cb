using System.Globalization;

namespace Bot.Core.Rendering;

/// <summary>
/// Shortens text to a length limit. Every cut falls between whole characters as people see them (text
/// elements), so it never leaves half a surrogate pair, half an emoji sequence such as 👩‍💻, half a flag
/// or a letter without its combining accent.
/// </summary>
public static class TextClip
{
    /// <summary>What marks a clipped text.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> itself when it fits <paramref name="maxLength"/>; otherwise the whole text
    /// elements that fit before an <see cref="Ellipsis"/>, white space before the ellipsis trimmed.
    /// </summary>
    /// <param name="lengthOf">
    /// How much each UTF-16 unit counts towards the limit; one each when not given. A platform that counts
    /// its limit on escaped text passes what each character becomes.
    /// </param>
    public static string Clip(string text, int maxLength, Func<char, int>? lengthOf = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (Measure(text, lengthOf) <= maxLength)
        {
            return text;
        }

        return string.Concat(text.AsSpan(0, WholeElementsWithin(text, maxLength - Ellipsis.Length, lengthOf)).TrimEnd(), Ellipsis);
    }

    /// <summary>The longest start of <paramref name="text"/> made of whole text elements and at most <paramref name="maxLength"/> long, with no mark.</summary>
    public static string Prefix(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        return text.Length <= maxLength ? text : text[..WholeElementsWithin(text, maxLength, lengthOf: null)];
    }

    /// <summary>
    /// Where to cut <paramref name="text"/> so that what comes before is at most <paramref name="maxLength"/> long:
    /// after the last whole text element that fits, or the whole text when it fits. Only when not even the
    /// first text element fits (a letter under a pile of combining marks) does the cut fall inside it, and
    /// then between whole code points (given room for one), so a long word is always cut somewhere.
    /// </summary>
    public static int CutPoint(ReadOnlySpan<char> text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        if (text.Length <= maxLength)
        {
            return text.Length;
        }

        var cut = WholeElementsWithin(text, maxLength, lengthOf: null);
        if (cut > 0 || maxLength == 0)
        {
            return cut;
        }

        var splitsAPair = maxLength > 1 && char.IsHighSurrogate(text[maxLength - 1]) && char.IsLowSurrogate(text[maxLength]);
        return splitsAPair ? maxLength - 1 : maxLength;
    }

    /// <summary>
    /// <paramref name="text"/> in pieces of at most <paramref name="maxLength"/>, in order, each cut at a
    /// <see cref="CutPoint"/>; none for an empty text.
    /// </summary>
    public static IEnumerable<string> Pieces(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        var start = 0;
        while (start < text.Length)
        {
            var length = CutPoint(text.AsSpan(start), maxLength);
            yield return text.Substring(start, length);
            start += length;
        }
    }

    /// <summary>How many UTF-16 units of <paramref name="text"/>'s whole text elements fit in <paramref name="room"/>.</summary>
    private static int WholeElementsWithin(ReadOnlySpan<char> text, int room, Func<char, int>? lengthOf)
    {
        var cut = 0;
        var used = 0;
        while (cut < text.Length)
        {
            var element = text.Slice(cut, StringInfo.GetNextTextElementLength(text[cut..]));
            used += Measure(element, lengthOf);
            if (used > room)
            {
                break;
            }

            cut += element.Length;
        }

        return cut;
    }

    private static int Measure(ReadOnlySpan<char> text, Func<char, int>? lengthOf)
    {
        if (lengthOf is null)
        {
            return text.Length;
        }

        var length = 0;
        foreach (var character in text)
        {
            length += lengthOf(character);
        }

        return length;
    }
}
