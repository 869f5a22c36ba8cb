using System.Text;

namespace Bot.RegexEngine;

/// <summary>Conversions between .NET strings (UTF-16) and the code-point arrays the engine works on, so that
/// positions match Python's str indices (an emoji is one character).</summary>
public static class CodePoints
{
    public static int[] FromText(string text)
    {
        var result = new int[text.Length];
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result[count++] = char.ConvertToUtf32(c, text[i + 1]);
                i++;
            }
            else
            {
                result[count++] = c;
            }
        }

        return count == result.Length ? result : result[..count];
    }

    public static string ToText(ReadOnlySpan<int> codePoints)
    {
        var builder = new StringBuilder(codePoints.Length);
        foreach (var cp in codePoints)
        {
            Append(builder, cp);
        }

        return builder.ToString();
    }

    public static string ToText(List<int> codePoints) => ToText(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(codePoints));

    /// <summary>
    /// A code point as text to show a person: a lone surrogate, which a Python str may hold but no message can carry,
    /// becomes U+FFFD.
    /// </summary>
    public static string Display(int codePoint) =>
        IsSurrogate(codePoint) ? "\uFFFD" : char.ConvertFromUtf32(codePoint);

    public static bool IsSurrogate(int codePoint) => codePoint is >= 0xD800 and <= 0xDFFF;

    public static void Append(StringBuilder builder, int codePoint)
    {
        if (codePoint < 0x10000)
        {
            // Lone surrogates are kept as they are, the way a Python str keeps them.
            builder.Append((char)codePoint);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(codePoint));
        }
    }
}
