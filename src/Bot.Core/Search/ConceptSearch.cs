using Bot.Core.Knowledge;

namespace Bot.Core.Search;

/// <summary>
/// Resolves a learner's query in a fixed order: exact name, then misspelt name, then full text.
/// Immutable and safe to share between threads; built once per knowledge base.
/// </summary>
public sealed class ConceptSearch
{
    public const int MaxSuggestions = 5;

    /// <summary>The best full-text hit must match this share of the query's weight to be trusted.</summary>
    private const float ConfidentCoverage = 0.6f;

    /// <summary>...and beat the runner-up by this factor.</summary>
    private const float ConfidentLead = 1.25f;

    private readonly IReadOnlyList<Concept> _concepts;
    private readonly Dictionary<string, int> _conceptByKey;
    private readonly (string Key, int Concept)[] _sortedKeys;
    private readonly TypoIndex _typos;
    private readonly FullTextIndex _fullText;

    public ConceptSearch(IReadOnlyList<Concept> concepts)
    {
        _concepts = concepts;
        _conceptByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < concepts.Count; index++)
        {
            foreach (var key in NameKeys(concepts[index]))
            {
                _conceptByKey.TryAdd(key, index);
            }
        }

        _sortedKeys = [.. _conceptByKey.Select(pair => (pair.Key, pair.Value)).OrderBy(pair => pair.Key, StringComparer.Ordinal)];
        _typos = new TypoIndex([.. _sortedKeys.Select(pair => pair.Key)]);
        _fullText = new FullTextIndex([.. concepts.Select(concept => new WeightedDocument(
        [
            (concept.Title, 3f),
            (string.Join(' ', concept.Aliases), 3f),
            (concept.Summary, 2f),
            (string.Join(' ', concept.Tags), 2f),
            (concept.Body, 1f),
        ]))]);
    }

    /// <summary>The normalized keys a concept answers to exactly: its id, title and aliases.</summary>
    public static IEnumerable<string> NameKeys(Concept concept) =>
        new[] { concept.Id, concept.Title }.Concat(concept.Aliases)
            .Select(TextNormalizer.Key)
            .Where(key => key.Length > 0)
            .Distinct(StringComparer.Ordinal);

    public LookupResult Lookup(string query)
    {
        var key = TextNormalizer.Key(query);
        if (key.Length == 0)
        {
            return new LookupResult(MatchKind.Blank, null, []);
        }

        if (_conceptByKey.TryGetValue(key, out var exact))
        {
            return new LookupResult(MatchKind.Exact, _concepts[exact], []);
        }

        var ranked = new List<int>();
        var typos = _typos.Find(key, TypoIndex.AllowedDistance(key.Length))
            .Select(found => (Concept: _sortedKeys[found.KeyIndex].Concept, found.Distance))
            .GroupBy(found => found.Concept)
            .Select(group => (Concept: group.Key, Distance: group.Min(found => found.Distance)))
            .OrderBy(found => found.Distance)
            .ThenBy(found => found.Concept)
            .ToList();
        ranked.AddRange(typos.Select(found => found.Concept));
        if (typos.Count == 1 || (typos.Count > 1 && typos[0].Distance < typos[1].Distance))
        {
            return new LookupResult(MatchKind.Typo, _concepts[typos[0].Concept], Suggest(ranked.Skip(1)));
        }

        ranked.AddRange(ConceptsWithKeyPrefix(key, minimumLength: 3));

        var mentioned = ConceptsNamedIn(query);
        if (typos.Count == 0 && mentioned.Count == 1)
        {
            return new LookupResult(MatchKind.Phrase, _concepts[mentioned[0]], Suggest(FullTextRanking(query).Where(index => index != mentioned[0])));
        }

        ranked.AddRange(mentioned);
        var hits = _fullText.Search(query, MaxSuggestions * 2);
        if (typos.Count == 0 && hits.Count > 0 && hits[0].Coverage >= ConfidentCoverage
            && (hits.Count == 1 || hits[0].Score >= ConfidentLead * hits[1].Score))
        {
            return new LookupResult(MatchKind.Phrase, _concepts[hits[0].Document], Suggest(hits.Skip(1).Select(hit => hit.Document)));
        }

        ranked.AddRange(hits.Select(hit => hit.Document));
        return new LookupResult(MatchKind.Unsure, null, Suggest(ranked));
    }

    /// <summary>
    /// Completions for a partly typed topic (autocomplete, menus), best first: the exact name, names
    /// that start with it, names that contain it, misspellings, then full-text hits. A blank query
    /// lists concepts by title.
    /// </summary>
    public IReadOnlyList<Concept> Complete(string partial, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var key = TextNormalizer.Key(partial);
        if (key.Length == 0)
        {
            return [.. _concepts.OrderBy(concept => concept.Title, StringComparer.OrdinalIgnoreCase).Take(limit)];
        }

        var ranked = new List<int>();
        if (_conceptByKey.TryGetValue(key, out var exact))
        {
            ranked.Add(exact);
        }

        ranked.AddRange(ConceptsWithKeyPrefix(key, minimumLength: 1));
        if (key.Length >= 3)
        {
            ranked.AddRange(_sortedKeys.Where(entry => entry.Key.Contains(key, StringComparison.Ordinal)).Select(entry => entry.Concept));
        }

        ranked.AddRange(_typos.Find(key, TypoIndex.AllowedDistance(key.Length)).OrderBy(found => found.Distance).Select(found => _sortedKeys[found.KeyIndex].Concept));
        ranked.AddRange(_fullText.Search(partial, limit).Select(hit => hit.Document));
        return [.. ranked.Distinct().Take(limit).Select(index => _concepts[index])];
    }

    /// <summary>
    /// Concepts whose name appears as a run of whole words in the query ("what does the with
    /// statement do" names context managers), longest runs first; shorter runs inside a longer
    /// match do not count.
    /// </summary>
    private List<int> ConceptsNamedIn(string query)
    {
        var words = query.Split((char[])[' ', '\t', '\n', ',', '?', '!', '.', ';', ':'], StringSplitOptions.RemoveEmptyEntries)
            .Select(TextNormalizer.Key)
            .Where(word => word.Length > 0)
            .ToList();
        var covered = new bool[words.Count];
        var found = new List<int>();
        for (var length = Math.Min(6, words.Count); length >= 1; length--)
        {
            for (var start = 0; start + length <= words.Count; start++)
            {
                if (covered.AsSpan(start, length).Contains(true))
                {
                    continue;
                }

                var key = string.Concat(words.GetRange(start, length));
                if (key.Length >= 3 && _conceptByKey.TryGetValue(key, out var concept))
                {
                    covered.AsSpan(start, length).Fill(true);
                    if (!found.Contains(concept))
                    {
                        found.Add(concept);
                    }
                }
            }
        }

        return found;
    }

    private IEnumerable<int> FullTextRanking(string query) =>
        _fullText.Search(query, MaxSuggestions * 2).Select(hit => hit.Document);

    private IEnumerable<int> ConceptsWithKeyPrefix(string key, int minimumLength)
    {
        if (key.Length < minimumLength)
        {
            yield break;
        }

        var low = 0;
        var high = _sortedKeys.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(_sortedKeys[middle].Key, key) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var index = low; index < _sortedKeys.Length && _sortedKeys[index].Key.StartsWith(key, StringComparison.Ordinal); index++)
        {
            yield return _sortedKeys[index].Concept;
        }
    }

    private List<Concept> Suggest(IEnumerable<int> ranked) =>
        [.. ranked.Distinct().Take(MaxSuggestions).Select(index => _concepts[index])];
}
