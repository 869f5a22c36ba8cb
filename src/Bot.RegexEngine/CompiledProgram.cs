namespace Bot.RegexEngine;

/// <summary>A compiled character set, tested the way <c>_sre</c>'s <c>charset()</c> does: any member matches,
/// then NEGATE flips the answer.</summary>
internal sealed class CharSet
{
    private readonly ulong[]? _bmp;
    private readonly List<(SetItemKind Kind, int A, int B)> _tail;

    public CharSet(bool negate, ulong[]? bmp, List<(SetItemKind Kind, int A, int B)> tail)
    {
        Negate = negate;
        _bmp = bmp;
        _tail = tail;
    }

    public bool Negate { get; }

    public bool Contains(int ch)
    {
        var found = ch < 0x10000 && _bmp is not null && (_bmp[ch >> 6] & (1UL << (ch & 63))) != 0;
        if (!found)
        {
            foreach (var (kind, a, b) in _tail)
            {
                if (kind switch
                {
                    SetItemKind.Literal => ch == a,
                    SetItemKind.Range => ch >= a && ch <= b,
                    SetItemKind.RangeUniIgnore => (ch >= a && ch <= b) || (UnicodeData.ToUpper(ch) is var upper && upper >= a && upper <= b),
                    _ => Categories.Matches((SreCategory)a, ch),
                })
                {
                    found = true;
                    break;
                }
            }
        }

        return found != Negate;
    }
}

internal enum SetItemKind
{
    Literal,
    Range,
    RangeUniIgnore,
    Category,
}

internal enum SreCategory
{
    Digit,
    NotDigit,
    Space,
    NotSpace,
    Word,
    NotWord,
    UniDigit,
    UniNotDigit,
    UniSpace,
    UniNotSpace,
    UniWord,
    UniNotWord,
}

internal static class Categories
{
    public static bool Matches(SreCategory category, int ch) => category switch
    {
        SreCategory.Digit => ch is >= '0' and <= '9',
        SreCategory.NotDigit => ch is not (>= '0' and <= '9'),
        SreCategory.Space => UnicodeData.IsAsciiSpace(ch),
        SreCategory.NotSpace => !UnicodeData.IsAsciiSpace(ch),
        SreCategory.Word => UnicodeData.IsAsciiWord(ch),
        SreCategory.NotWord => !UnicodeData.IsAsciiWord(ch),
        SreCategory.UniDigit => UnicodeData.IsDecimal(ch),
        SreCategory.UniNotDigit => !UnicodeData.IsDecimal(ch),
        SreCategory.UniSpace => UnicodeData.IsSpace(ch),
        SreCategory.UniNotSpace => !UnicodeData.IsSpace(ch),
        SreCategory.UniWord => UnicodeData.IsWord(ch),
        _ => !UnicodeData.IsWord(ch),
    };

    public static SreCategory From(CharCategory category, bool unicode) => (SreCategory)((int)category + (unicode ? 6 : 0));
}

/// <summary>A compiled pattern: instructions (as ints) plus the character sets they refer to.</summary>
internal sealed record CompiledProgram(int[] Code, CharSet[] Sets, int Groups, CharSet? SearchPrefix);
