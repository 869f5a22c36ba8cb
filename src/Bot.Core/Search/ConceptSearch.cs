using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Bot.Core.Knowledge;

namespace Bot.Core.Search;

/// <summary>
/// Resolves a learner's query: an exact name shows its concept at once; anything else is scored
/// against every concept (<see cref="ConceptIndex"/>) and a concept is shown only when it clearly
/// leads, otherwise the best few are suggested. Immutable and safe to share between threads; built
/// once per knowledge base.
/// </summary>
public sealed partial class ConceptSearch
{
    public const int MaxSuggestions = 5;

    /// <summary>
    /// Longer queries are read as their start and their end: a pasted traceback names its error on
    /// the last line, pasted code shows its shape at the top, and matching stays fast on any paste.
    /// </summary>
    public const int MaxQueryLength = 300;

    /// <summary>
    /// Other languages' names say where the learner comes from, not what they ask: "javascript
    /// promises" is about JavaScript, and a course that mentions JavaScript here and there must not
    /// answer it with those pages. The name counts as a word the course doesn't know.
    /// </summary>
    private static readonly HashSet<string> OtherLanguages = new(StringComparer.Ordinal)
    {
        "javascript", "js", "node", "nodejs", "typescript", "java", "kotlin", "scala", "c", "cpp", "csharp", "go", "golang",
        "rust", "ruby", "php", "perl", "swift", "haskell", "lua", "sql",
    };

    private readonly IReadOnlyList<Concept> _concepts;
    private readonly Dictionary<string, int> _conceptByKey;
    private readonly (string Key, int Concept)[] _sortedKeys;
    private readonly TypoIndex _nameTypos;
    private readonly ConceptIndex _index;
    private readonly TypoIndex _termTypos;
    private readonly AskedQuestions _asked;
    private readonly SearchTuning _tuning;

    public ConceptSearch(IReadOnlyList<Concept> concepts)
        : this(concepts, SearchTuning.Default)
    {
    }

    internal ConceptSearch(IReadOnlyList<Concept> concepts, SearchTuning tuning)
    {
        _tuning = tuning;
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
        _nameTypos = new TypoIndex([.. _sortedKeys.Select(pair => pair.Key)]);

        // Reading the asked questions needs nothing of the index and the typo index needs only its
        // vocabulary, so each is built beside the rest rather than after it.
        var names = new NameTermCache();
        var askedReading = Task.Run(() => AskedQuestions.Read(concepts, names));
        _index = new ConceptIndex(concepts, tuning.FieldWeights, names);
        var termTypos = Task.Run(() => new TypoIndex(_index.Vocabulary));
        _asked = new AskedQuestions(askedReading.GetAwaiter().GetResult(), _index.Rarity);
        _termTypos = termTypos.GetAwaiter().GetResult();
    }

    /// <summary>What a concept is called: its id, title and aliases.</summary>
    public static IEnumerable<string> Names(Concept concept) => new[] { concept.Id, concept.Title }.Concat(concept.Aliases);

    /// <summary>The normalized keys a concept answers to exactly: its id, title and aliases.</summary>
    public static IEnumerable<string> NameKeys(Concept concept) =>
        Names(concept)
            .Select(TextNormalizer.Key)
            .Where(key => key.Length > 0)
            .Distinct(StringComparer.Ordinal);

    public LookupResult Lookup(string query) => Decide(Evaluate(query), _tuning);

    /// <summary>Everything a lookup knows before deciding: blank, an exact name, or how each concept scored.</summary>
    internal Evaluation Evaluate(string query)
    {
        var key = TextNormalizer.Key(query);
        if (key.Length == 0 && string.IsNullOrWhiteSpace(query.Trim('?', '!', '.', ',')))
        {
            return new Evaluation(key, null, null);
        }

        return key.Length > 0 && _conceptByKey.TryGetValue(key, out var exact)
            ? new Evaluation(key, exact, null)
            : new Evaluation(key, null, Score(query), MisspeltName(query, key));
    }

    /// <summary>
    /// The one concept whose name the whole query misspells ("first clas functions", "duk typing"),
    /// when some word of it is not the course's and no other concept's name is as close. A misspelt
    /// name says which concept the learner means more surely than any word count: the words it
    /// still spells right ("class") may belong to a concept asked about far more often.
    /// </summary>
    private int? MisspeltName(string query, string key)
    {
        if (key.Length < 5)
        {
            return null;
        }

        var words = NonWordCharacters().Split(query.ToLowerInvariant()).Where(word => word.Length > 0);
        if (words.All(word => IsCourseWord(word) || IsCourseWord(SearchTerms.Stem(word))))
        {
            return null;
        }

        var typos = NameTypos(key, key.Length <= 8 ? 1 : TypoIndex.MaxDistance).ToList();
        if (typos.Count == 0)
        {
            return null;
        }

        var closest = typos.Min(match => match.Distance);
        var concepts = typos.Where(match => match.Distance == closest).Select(match => _sortedKeys[match.KeyIndex].Concept).Distinct().ToList();
        return concepts.Count == 1 ? concepts[0] : null;

        bool IsCourseWord(string word) => _index.Contains(word) && !_index.IsOnlyAsked(word);
    }

    /// <summary>Shows the best concept when <paramref name="thresholds"/> say it clearly leads; otherwise suggests.</summary>
    internal LookupResult Decide(Evaluation evaluation, SearchTuning thresholds)
    {
        if (evaluation.ExactConcept is { } exact)
        {
            return new LookupResult(MatchKind.Exact, _concepts[exact], []);
        }

        if (evaluation.Scored is not { } scored)
        {
            return new LookupResult(MatchKind.Blank, null, []);
        }

        if (evaluation.MisspeltConcept is { } misspelt)
        {
            return new LookupResult(MatchKind.Typo, _concepts[misspelt], Suggest(scored.Ranked.Where(candidate => candidate.Concept != misspelt)));
        }

        if (scored.Ranked.Count == 0)
        {
            return new LookupResult(MatchKind.Unsure, null, []);
        }

        var best = scored.Ranked[0];
        var runnerUp = scored.Ranked.Count > 1 ? scored.Ranked[1].Score : 0f;
        if (thresholds.IsConfident(best.Coverage, best.Score, runnerUp, scored.QueryWeight))
        {
            var kind = best.TypoScore > best.Score / 2 || MisspellsAName(evaluation.QueryKey, best.Concept) ? MatchKind.Typo : MatchKind.Phrase;
            return new LookupResult(kind, _concepts[best.Concept], Suggest(scored.Ranked.Skip(1)));
        }

        return new LookupResult(MatchKind.Unsure, null, Suggest(scored.Ranked));
    }

    /// <summary>Whether the whole query is a misspelling of one of the concept's names ("closurs").</summary>
    private bool MisspellsAName(string queryKey, int concept) =>
        NameTypos(queryKey, TypoIndex.AllowedDistance(queryKey.Length)).Any(match => _sortedKeys[match.KeyIndex].Concept == concept);

    /// <summary>
    /// Names within <paramref name="maxDistance"/> of a key that starts with the same letter: learners
    /// mistype the middle of a word, and a different first letter is usually a different word
    /// ("metaclass" is not "dataclass", "dask" not "task").
    /// </summary>
    private IEnumerable<(int KeyIndex, int Distance)> NameTypos(string key, int maxDistance) =>
        _nameTypos.Find(key, maxDistance).Where(match => _sortedKeys[match.KeyIndex].Key[0] == key[0]);

    /// <summary>
    /// Completions for a partly typed topic (autocomplete, menus), best first: the exact name, names
    /// that start with it, names that contain it, then the lookup's own ranking. A blank query lists
    /// concepts by title.
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

        ranked.AddRange(ConceptsWithKeyPrefix(key));
        if (key.Length >= 3)
        {
            ranked.AddRange(_sortedKeys.Where(entry => entry.Key.Contains(key, StringComparison.Ordinal)).Select(entry => entry.Concept));
        }

        ranked.AddRange(Score(partial).Ranked.Select(candidate => candidate.Concept));
        return [.. ranked.Distinct().Take(limit).Select(index => _concepts[index])];
    }

    /// <summary>How the query scored against each concept it matched at all, best first.</summary>
    internal ScoredQuery Score(string query)
    {
        var withoutNoise = TracebackNoise().Replace(query, " ");
        // A traceback's frame lines alone ("Traceback (most recent call last):") ask what a traceback is.
        query = withoutNoise.Any(char.IsLetterOrDigit) || !query.Contains("Traceback", StringComparison.OrdinalIgnoreCase) && !query.Contains("File \"", StringComparison.Ordinal)
            ? withoutNoise
            : "traceback";
        if (query.Length > MaxQueryLength)
        {
            query = string.Concat(query.AsSpan(0, MaxQueryLength / 2), "\n", query.AsSpan(query.Length - (MaxQueryLength / 2)));
        }

        var words = QueryTerms(query, out var queryWeight);
        var scores = new Dictionary<int, Candidate>();
        foreach (var word in words)
        {
            foreach (var term in word.Terms)
            {
                foreach (var posting in _index.Postings(term.Text))
                {
                    ref var candidate = ref CollectionsMarshal.GetValueRefOrAddDefault(scores, posting.Concept, out var existed);
                    if (!existed)
                    {
                        candidate = new Candidate(posting.Concept, 0, 0, 0, -1, 0);
                    }

                    // A misspelt word counts by its best correction only: a correction and that correction's
                    // stem must not add up to more than the word typed right would.
                    var points = term.Weight * posting.Weight;
                    var firstMatchOfWord = candidate.LastWord != word.Index;
                    var gain = firstMatchOfWord || !term.IsCorrection ? points : Math.Max(0, points - candidate.WordPoints);
                    candidate = candidate with
                    {
                        Score = candidate.Score + gain,
                        Coverage = candidate.Coverage + (firstMatchOfWord ? word.Share / queryWeight : 0),
                        TypoScore = candidate.TypoScore + (term.IsCorrection ? gain : 0),
                        LastWord = word.Index,
                        WordPoints = firstMatchOfWord ? points : Math.Max(points, candidate.WordPoints),
                    };
                }
            }
        }

        var askedWords = _asked.IsEmpty ? [] : _asked.WordCloseness(
            words.Where(word => word.Share > 0).SelectMany(word => word.Terms.Select(term => (word.Index, word.Share, term.Text, term.IsCorrection))),
            queryWeight,
            _tuning.TypoDiscount);
        var askedText = _asked.IsEmpty ? [] : _asked.TextCloseness(query);

        // Like Lucene's classic coordination factor: a concept that matches more of what the learner said ranks higher.
        var ranked = scores.Values
            .Select(candidate => candidate with { Coverage = Math.Min(1, candidate.Coverage) })
            .Select(candidate => candidate with
            {
                Score = (candidate.Score * MathF.Pow(candidate.Coverage, _tuning.CoverageExponent))
                    + (_tuning.AskedWordWeight * MathF.Pow(askedWords.GetValueOrDefault(candidate.Concept), _tuning.AskedExponent) * queryWeight)
                    + (_tuning.AskedTextWeight * MathF.Pow(askedText.GetValueOrDefault(candidate.Concept), _tuning.AskedExponent) * queryWeight),
            })
            .OrderByDescending(candidate => candidate.Score)
            .ThenBy(candidate => candidate.Concept)
            .ToList();
        return new ScoredQuery(ranked, queryWeight);
    }

    /// <summary>
    /// The query's words, each with the terms that may match it weighted by rarity: the word as
    /// stemmed and as typed, or corrections when the course has neither; then a name term for each
    /// run of words that spells a concept's name. <paramref name="queryWeight"/> is what a concept
    /// matching every word would cover.
    /// </summary>
    private List<WeightedWord> QueryTerms(string query, out float queryWeight)
    {
        var words = new List<WeightedWord>();
        queryWeight = 0f;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queryWords = SearchTerms.Query(query);
        var errorClassTerms = ErrorClassTerms(query);
        foreach (var (term, surface, isCompound) in queryWords)
        {
            if (!seen.Add(term))
            {
                continue;
            }

            // Syntax and Python's own names (dunders) are what a code query asks about; its other names are the learner's.
            // In a pasted error, the message says what went wrong; the class (TypeError) is shared by many mistakes.
            var boost = term.StartsWith(SyntaxShapes.Prefix, StringComparison.Ordinal) || term.StartsWith("__", StringComparison.Ordinal) ? _tuning.ShapeBoost
                : errorClassTerms.Contains(term) ? _tuning.ErrorClassWeight
                : 1;
            var terms = new List<QueryTerm>(2);
            var isLanguageName = OtherLanguages.Contains(term);
            var surfaceKnown = !isLanguageName && surface is not null && _index.Contains(surface);
            if (!isLanguageName && _index.Contains(term))
            {
                // The form the learner typed is better evidence than its stem: "globals" is globals(), not the global statement.
                terms.Add(new QueryTerm(term, boost * (surfaceKnown ? _tuning.StemDiscount : 1) * _index.Rarity(term), IsCorrection: false));
            }

            if (surfaceKnown)
            {
                terms.Add(new QueryTerm(surface!, _index.Rarity(surface!), IsCorrection: false));
            }

            // A word known only from asked questions may be one of their deliberate misspellings; it is corrected as well.
            if (!isLanguageName && (terms.Count == 0 || terms.All(found => _index.IsOnlyAsked(found.Text))))
            {
                // A corrected word also brings its stem, so "varaibles" meets a concept that says "variable".
                var typed = terms.Select(found => found.Text).ToHashSet(StringComparer.Ordinal);
                terms.AddRange(Corrections(surface ?? term)
                    .SelectMany(correction => new[] { correction, SearchTerms.Stem(correction) })
                    .Distinct(StringComparer.Ordinal)
                    .Where(correction => _index.Contains(correction) && !typed.Contains(correction))
                    .Select(correction => new QueryTerm(correction, _tuning.TypoDiscount * _index.Rarity(correction), IsCorrection: true)));
            }

            // A word the course doesn't know lowers coverage, so "javascript promises" is not answered by "promises"
            // alone; the learner's own names in pasted code (account__balance, lst in print(*lst)) do not.
            var share = terms.Count > 0 ? terms.Max(found => _index.Rarity(found.Text)) * (errorClassTerms.Contains(term) ? _tuning.ErrorClassWeight : 1)
                : isCompound || IsNameInCode(query, surface ?? term) ? 0
                : _tuning.UnknownWordShare * _index.UnknownRarity;
            queryWeight += share;
            words.Add(new WeightedWord(words.Count, share, terms));
        }

        queryWeight = Math.Max(queryWeight, float.Epsilon);
        var pairs = SearchTerms.Pairs(queryWords)
            .Distinct(StringComparer.Ordinal)
            .Where(_index.Contains)
            .Select(pair => new QueryTerm(pair, _tuning.PairWeight * _index.Rarity(pair), IsCorrection: false))
            .ToList();
        if (pairs.Count > 0)
        {
            words.Add(new WeightedWord(words.Count, 0, pairs));
        }

        var names = NameTerms(query, allowTypos: words.Any(word => word.Terms.Count == 0 || word.Terms.All(term => term.IsCorrection)));
        if (names.Count > 0)
        {
            words.Add(new WeightedWord(words.Count, 0, names));
        }

        return words;
    }

    /// <summary>
    /// Whether a word stands in code in the query (<c>print(*lst)</c>, <c>df.iloc</c>, <c>'name'</c>):
    /// there an unknown word is the learner's own name, which says nothing about the topic.
    /// </summary>
    private static bool IsNameInCode(string query, string word)
    {
        const string codeMarks = ".()[]{}=*,'\"";
        for (var at = query.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = query.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + word.Length;
            var startsWord = at == 0 || !(char.IsLetterOrDigit(query[at - 1]) || query[at - 1] == '_');
            var endsWord = end == query.Length || !(char.IsLetterOrDigit(query[end]) || query[end] == '_');
            if (startsWord && endsWord && ((at > 0 && codeMarks.Contains(query[at - 1])) || (end < query.Length && codeMarks.Contains(query[end]))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The terms of an error's class when the query is an error line with a message
    /// (<c>TypeError: 'int' object is not iterable</c>), and only those the message does not repeat.
    /// </summary>
    private static HashSet<string> ErrorClassTerms(string query)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match line in ErrorLine().Matches(query))
        {
            terms.UnionWith(SearchTerms.Query(line.Groups["class"].Value).Select(word => word.Term));
            terms.ExceptWith(SearchTerms.Query(line.Groups["message"].Value).Select(word => word.Term));
        }

        return terms;
    }

    [GeneratedRegex(@"(?m)^\s*(?<class>[A-Za-z_][\w.]*(Error|Exception|Warning|StopIteration|Exit|Interrupt))\s*:\s*(?<message>\S.*)$")]
    private static partial Regex ErrorLine();

    /// <summary>
    /// The course's words closest to an unknown word, when it is long enough to be a misspelling rather
    /// than a different word, and starts with the same letter (see <see cref="NameTypos"/>).
    /// </summary>
    private IEnumerable<string> Corrections(string word)
    {
        if (word.Length < 4 || !word.All(char.IsAsciiLetterLower))
        {
            return [];
        }

        var found = _termTypos.Find(word, word.Length <= 7 ? 1 : 2).Where(match => _index.Vocabulary[match.KeyIndex][0] == word[0]).ToList();
        if (found.Count == 0)
        {
            return [];
        }

        var closest = found.Min(match => match.Distance);
        return found.Where(match => match.Distance == closest).Select(match => _index.Vocabulary[match.KeyIndex]);
    }

    /// <summary>
    /// "what does the with statement do" says the name "with statement"; "name mangeling" misspells
    /// "name mangling". Runs of up to five words are compared with every concept's names.
    /// </summary>
    private List<QueryTerm> NameTerms(string query, bool allowTypos)
    {
        var words = NonWordCharacters().Split(query.ToLowerInvariant()).Where(word => word.Length > 0).ToList();
        var terms = new List<QueryTerm>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        for (var length = Math.Min(5, words.Count); length >= 1; length--)
        {
            for (var start = 0; start + length <= words.Count; start++)
            {
                var key = string.Concat(words.GetRange(start, length));
                if (key.Length < 3)
                {
                    continue;
                }

                var nameTerm = ConceptIndex.NameTerm(key);
                if (_index.Contains(nameTerm))
                {
                    if (added.Add(nameTerm))
                    {
                        terms.Add(new QueryTerm(nameTerm, _index.Rarity(nameTerm), IsCorrection: false));
                    }

                    continue;
                }

                // Only the whole query may be a misspelt name, and only when some word of it is not the course's:
                // "globals" is a word of its own, not a misspelling of "global".
                if (!allowTypos || length != words.Count || key.Length < 5)
                {
                    continue;
                }

                var typos = NameTypos(key, key.Length <= 8 ? 1 : 2).ToList();
                if (typos.Count > 0)
                {
                    var closest = typos.Min(match => match.Distance);
                    foreach (var (keyIndex, _) in typos.Where(match => match.Distance == closest))
                    {
                        var corrected = ConceptIndex.NameTerm(_sortedKeys[keyIndex].Key);
                        if (added.Add(corrected))
                        {
                            terms.Add(new QueryTerm(corrected, _tuning.TypoDiscount * _index.Rarity(corrected), IsCorrection: true));
                        }
                    }
                }
            }
        }

        return terms;
    }

    private IEnumerable<int> ConceptsWithKeyPrefix(string key)
    {
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

    /// <summary>
    /// What every query of its kind has and so says nothing: the frame lines of a pasted traceback
    /// (only its code and error line are about the problem), and chat-wide mentions, which are not
    /// decorators however much <c>@everyone</c> looks like one.
    /// </summary>
    [GeneratedRegex(@"Traceback \(most recent call last\):?|File ""[^""\n]*"", line \d+(, in [\w<>.]+)?|(?i)@(everyone|here|channel)\b")]
    private static partial Regex TracebackNoise();

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+")]
    private static partial Regex NonWordCharacters();

    private List<Concept> Suggest(IEnumerable<Candidate> ranked) =>
        [.. ranked.Take(MaxSuggestions).Select(candidate => _concepts[candidate.Concept])];

    private readonly record struct QueryTerm(string Text, float Weight, bool IsCorrection);

    /// <param name="Share">The word's rarity: how much of the query a concept covers by matching it.</param>
    private sealed record WeightedWord(int Index, float Share, IReadOnlyList<QueryTerm> Terms);

    /// <param name="Coverage">The share of the query's rarity-weighted words the concept matched (0 to 1).</param>
    /// <param name="TypoScore">The part of <paramref name="Score"/> that came from corrected misspellings.</param>
    /// <param name="LastWord">The last query word that matched, so each word counts once.</param>
    /// <param name="WordPoints">What that word has scored so far: the best of its forms.</param>
    internal readonly record struct Candidate(int Concept, float Score, float Coverage, float TypoScore, int LastWord, float WordPoints);

    /// <param name="QueryWeight">The rarity of all the query's words: the score of a concept matching each once in its prose.</param>
    internal sealed record ScoredQuery(IReadOnlyList<Candidate> Ranked, float QueryWeight);

    /// <param name="QueryKey">The query as a name key (<see cref="TextNormalizer.Key"/>).</param>
    /// <param name="ExactConcept">The concept the whole query names, if any.</param>
    /// <param name="Scored">The scores, when no name matched; null for a blank query.</param>
    /// <param name="MisspeltConcept">The one concept whose name the whole query misspells, if any.</param>
    internal sealed record Evaluation(string QueryKey, int? ExactConcept, ScoredQuery? Scored, int? MisspeltConcept = null);
}
