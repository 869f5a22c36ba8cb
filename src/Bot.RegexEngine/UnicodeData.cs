using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Bot.RegexEngine;

/// <summary>Character facts exactly as CPython 3.11 (Unicode 14.0) sees them, from tables generated with python3,
/// because .NET ships a newer Unicode version whose categories and case mappings differ in places.</summary>
internal static class UnicodeData
{
    private static readonly int[] Decimal = UnicodeTables.DecimalRanges.ToArray();
    private static readonly int[] Alnum = UnicodeTables.AlnumRanges.ToArray();
    private static readonly int[] Space = UnicodeTables.SpaceRanges.ToArray();
    private static readonly int[] Cased = UnicodeTables.CasedRanges.ToArray();
    private static readonly Dictionary<int, int> Lower = Pairs(UnicodeTables.LowerPairs);
    private static readonly Dictionary<int, int> Upper = Pairs(UnicodeTables.UpperPairs);

    /// <summary><c>re._casefix._EXTRA_CASES</c>: lowercase characters that also match other lowercase characters.</summary>
    public static readonly Dictionary<int, int[]> ExtraCases = ExtraCasesTable();

    public static bool IsDecimal(int cp) => InRanges(Decimal, cp);

    public static bool IsAlnum(int cp) => InRanges(Alnum, cp);

    public static bool IsSpace(int cp) => InRanges(Space, cp);

    public static bool IsCased(int cp) => InRanges(Cased, cp);

    public static bool IsWord(int cp) => cp == '_' || IsAlnum(cp);

    public static int ToLower(int cp) => cp < 128 ? (cp is >= 'A' and <= 'Z' ? cp + 32 : cp) : Lower.GetValueOrDefault(cp, cp);

    public static int ToUpper(int cp) => Upper.GetValueOrDefault(cp, cp);

    public static bool IsAsciiWord(int cp) => cp < 128 && (cp == '_' || char.IsAsciiLetterOrDigit((char)cp));

    public static bool IsAsciiSpace(int cp) => cp is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    public static int AsciiLower(int cp) => cp is >= 'A' and <= 'Z' ? cp + 32 : cp;

    public static bool AsciiIsCased(int cp) => cp < 128 && char.IsAsciiLetter((char)cp);

    /// <summary>Python's <c>str.isprintable()</c> for one character (used to render reprs in error messages).</summary>
    public static bool IsPrintable(int cp)
    {
        if (cp == ' ')
        {
            return true;
        }

        if (!Rune.IsValid(cp))
        {
            return false;
        }

        var category = Rune.GetUnicodeCategory(new Rune(cp));
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }

    private static bool InRanges(int[] ranges, int cp)
    {
        var lo = 0;
        var hi = (ranges.Length / 2) - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (cp < ranges[mid * 2])
            {
                hi = mid - 1;
            }
            else if (cp > ranges[(mid * 2) + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<int, int> Pairs(ReadOnlySpan<int> flat)
    {
        var result = new Dictionary<int, int>(flat.Length / 2);
        for (var i = 0; i < flat.Length; i += 2)
        {
            result[flat[i]] = flat[i + 1];
        }

        return result;
    }

    private static Dictionary<int, int[]> ExtraCasesTable()
    {
        var flat = UnicodeTables.ExtraCasePairs;
        var lists = new Dictionary<int, List<int>>();
        for (var i = 0; i < flat.Length; i += 2)
        {
            if (!lists.TryGetValue(flat[i], out var list))
            {
                lists[flat[i]] = list = [];
            }

            list.Add(flat[i + 1]);
        }

        return lists.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
    }
}

/// <summary><c>unicodedata.lookup</c> for <c>\N{...}</c>: names, aliases, and the algorithmic names
/// (CJK ideographs, Hangul syllables), compared ignoring ASCII case.</summary>
internal static class UnicodeNames
{
    private static readonly Lazy<Dictionary<string, int>> Names = new(Load);

    private static readonly string[] Leading = ["G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS", "", "J", "JJ", "C", "K", "T", "P", "H"];
    private static readonly string[] Vowels =
        ["A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA", "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"];
    private static readonly string[] Trailing =
        ["", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG", "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S", "SS", "NG", "J", "C", "K", "T", "P", "H"];

    public static int? Lookup(string name)
    {
        var upper = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            upper.Append(c is >= 'a' and <= 'z' ? (char)(c - 32) : c);
        }

        var key = upper.ToString();
        if (Names.Value.TryGetValue(key, out var cp))
        {
            return cp;
        }

        foreach (var (prefix, first, last) in UnicodeTables.PrefixedNameRanges)
        {
            if (key.Length > prefix.Length + 1 && key.StartsWith(prefix + "-", StringComparison.Ordinal))
            {
                var hex = key[(prefix.Length + 1)..];
                if (hex.Length is 4 or 5 && hex.All(char.IsAsciiHexDigitUpper)
                    && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)
                    && value >= first && value <= last)
                {
                    return value;
                }
            }
        }

        return null;
    }

    private static Dictionary<string, int> Load()
    {
        using var packed = new MemoryStream(Convert.FromBase64String(UnicodeTables.PackedNames));
        using var gzip = new GZipStream(packed, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.ASCII);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var separator = line.IndexOf(';', StringComparison.Ordinal);
            names.TryAdd(line[(separator + 1)..], int.Parse(line.AsSpan(0, separator), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }

        for (var syllable = 0; syllable < 11172; syllable++)
        {
            var l = syllable / (21 * 28);
            var v = syllable % (21 * 28) / 28;
            var t = syllable % 28;
            names.TryAdd("HANGUL SYLLABLE " + Leading[l] + Vowels[v] + Trailing[t], 0xAC00 + syllable);
        }

        return names;
    }
}
