namespace Bot.Core.Search;

/// <summary>
/// Finds keys within a small edit distance of a query by symmetric deletion (the SymSpell idea):
/// every key registers the variants of its first <see cref="PrefixLength"/> characters with up to
/// <see cref="MaxDistance"/> characters deleted; a query generates the same variants and every key
/// sharing one is verified with the true Damerau-Levenshtein distance. Variants are stored by hash,
/// so a collision only adds a candidate that verification then rejects.
/// </summary>
internal sealed class TypoIndex
{
    public const int MaxDistance = 2;
    private const int PrefixLength = 7;

    /// <summary>A prefix of <see cref="PrefixLength"/> characters itself, 7 with one deletion and 21 with two.</summary>
    private const int MaxVariantsPerKey = 1 + PrefixLength + (PrefixLength * (PrefixLength - 1) / 2);

    private readonly string[] _keys;

    /// <summary>
    /// Every (variant hash, key index) pair as one number, hash in the high half, sorted: one flat
    /// array builds and searches faster than a dictionary of lists, which matters for the word
    /// vocabulary of a large course.
    /// </summary>
    private readonly long[] _variants;

    public TypoIndex(IReadOnlyList<string> keys)
    {
        _keys = [.. keys];

        // Built in a pooled buffer: sized for the most variants a key can have, it is a large
        // object, and allocating one per content load would start a full collection each time.
        var buffer = System.Buffers.ArrayPool<long>.Shared.Rent(Math.Max(1, _keys.Length * MaxVariantsPerKey));
        var count = 0;
        var hashes = new HashSet<int>();
        for (var index = 0; index < _keys.Length; index++)
        {
            hashes.Clear();
            AddVariantHashes(_keys[index], MaxDistance, hashes);
            foreach (var hash in hashes)
            {
                buffer[count++] = Entry(hash, index);
            }
        }

        var entries = buffer.AsSpan(0, count);
        entries.Sort();
        _variants = entries.ToArray();
        System.Buffers.ArrayPool<long>.Shared.Return(buffer);
    }

    private static long Entry(int hash, int keyIndex) => ((long)hash << 32) | (uint)keyIndex;

    /// <summary>How many typos a query of this length may contain and still be recognised.</summary>
    public static int AllowedDistance(int queryLength) => queryLength switch
    {
        <= 3 => 0,
        <= 5 => 1,
        _ => MaxDistance,
    };

    /// <summary>Indexes of keys within <paramref name="maxDistance"/> of the query, with their distance.</summary>
    public List<(int KeyIndex, int Distance)> Find(string query, int maxDistance)
    {
        var found = new List<(int, int)>();
        if (maxDistance <= 0 || query.Length == 0)
        {
            return found;
        }

        var seen = new HashSet<int>();
        var hashes = new HashSet<int>();
        AddVariantHashes(query, Math.Min(maxDistance, MaxDistance), hashes);
        foreach (var hash in hashes)
        {
            var position = Array.BinarySearch(_variants, Entry(hash, 0));
            for (position = position < 0 ? ~position : position; position < _variants.Length && (int)(_variants[position] >> 32) == hash; position++)
            {
                var candidate = (int)(uint)_variants[position];
                if (!seen.Add(candidate))
                {
                    continue;
                }

                var distance = Distance(query, _keys[candidate], maxDistance);
                if (distance <= maxDistance)
                {
                    found.Add((candidate, distance));
                }
            }
        }

        return found;
    }

    private static void AddVariantHashes(string key, int deletions, HashSet<int> hashes)
    {
        AddVariants(key.AsSpan(0, Math.Min(PrefixLength, key.Length)), deletions, hashes);

        static void AddVariants(ReadOnlySpan<char> text, int deletionsLeft, HashSet<int> hashes)
        {
            hashes.Add(string.GetHashCode(text));
            if (deletionsLeft == 0 || text.Length <= 1)
            {
                return;
            }

            Span<char> variant = stackalloc char[text.Length - 1];
            for (var skip = 0; skip < text.Length; skip++)
            {
                text[..skip].CopyTo(variant);
                text[(skip + 1)..].CopyTo(variant[skip..]);
                AddVariants(variant, deletionsLeft - 1, hashes);
            }
        }
    }

    /// <summary>Optimal-string-alignment distance, giving up once it must exceed <paramref name="limit"/>.</summary>
    internal static int Distance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previousPrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMinimum = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previousPrevious[j - 2] + 1);
                }

                current[j] = value;
                rowMinimum = Math.Min(rowMinimum, value);
            }

            if (rowMinimum > limit)
            {
                return limit + 1;
            }

            (previousPrevious, previous, current) = (previous, current, previousPrevious);
        }

        return previous[b.Length];
    }
}
