using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Bot.Core.Knowledge;

namespace Bot.Core.Search;

/// <summary>
/// The questions concepts say learners ask (<see cref="Concept.Asked"/>), each matched as a whole: a
/// query that says most of what one question says, and little else, is close to it however far its
/// words are from the concept's own text. Two closeness measures, both a weighted Dice overlap:
/// <list type="bullet">
/// <item>by words, each weighed by its rarity in the course, so sharing "function" counts little and
/// sharing "decorator" much;</item>
/// <item>by text, on the three-letter pieces of the question as typed, each weighed by how few
/// questions have it: this keeps what the words drop (the question words of "say what you want, not
/// how", a misspelling, a plural, the shape of a pasted message).</item>
/// </list>
/// </summary>
internal sealed class AskedQuestions
{
    /// <summary>
    /// Pieces found in more than this share of the questions (" th", "ion") are left out of the text
    /// closeness: they tell questions apart too little to be worth visiting a fifth of them for
    /// every query (the labelled learner queries fare the same without them).
    /// </summary>
    private const float CommonTrigramShare = 0.2f;

    /// <summary>A few questions sharing a piece is no reason to drop it: that is what closeness is made of.</summary>
    private const int MinimumCommonTrigramCount = 50;

    private readonly int[] _conceptOfQuestion;
    private readonly float[] _questionWordWeight;
    private readonly float[] _questionTextWeight;
    private readonly Dictionary<string, int[]> _questionsByTerm;
    private readonly Dictionary<string, (float Weight, int[] Questions)> _questionsByTrigram;
    private readonly float _unknownTrigramWeight;
    private readonly HashSet<string> _commonTrigrams;

    // Pools of this index's own: the arrays come back cleared where they were written, which the shared pools don't promise.
    private readonly ArrayPool<float> _overlapPool = ArrayPool<float>.Create();
    private readonly ArrayPool<int> _lastWordPool = ArrayPool<int>.Create();

    public AskedQuestions(IReadOnlyList<Concept> concepts, Func<string, float> rarity)
    {
        var conceptOfQuestion = new List<int>();
        var questionWordWeight = new List<float>();
        var questionTrigrams = new List<HashSet<string>>();
        var byTerm = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byTrigram = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var concept = 0; concept < concepts.Count; concept++)
        {
            foreach (var question in concepts[concept].Asked)
            {
                var index = conceptOfQuestion.Count;
                var weight = 0f;
                foreach (var word in SearchTerms.Query(question).DistinctBy(word => word.Term))
                {
                    weight += rarity(word.Term);
                    AddPosting(byTerm, word.Term, index);
                    if (word.Surface is { } surface && surface != word.Term)
                    {
                        AddPosting(byTerm, surface, index);
                    }
                }

                var trigrams = Trigrams(question);
                foreach (var trigram in trigrams)
                {
                    AddPosting(byTrigram, trigram, index);
                }

                conceptOfQuestion.Add(concept);
                questionWordWeight.Add(weight);
                questionTrigrams.Add(trigrams);
            }
        }

        _conceptOfQuestion = [.. conceptOfQuestion];
        _questionWordWeight = [.. questionWordWeight];
        _questionsByTerm = byTerm.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        var questionCount = Math.Max(1, conceptOfQuestion.Count);
        _questionsByTrigram = byTrigram.Where(pair => pair.Value.Count <= Math.Max(MinimumCommonTrigramCount, CommonTrigramShare * questionCount)).ToDictionary(
            pair => pair.Key,
            pair => (MathF.Log(1 + ((float)questionCount / pair.Value.Count)), pair.Value.ToArray()),
            StringComparer.Ordinal);
        _unknownTrigramWeight = MathF.Log(1 + questionCount);
        _questionTextWeight = [.. questionTrigrams.Select(trigrams => trigrams.Sum(trigram => _questionsByTrigram.TryGetValue(trigram, out var kept) ? kept.Weight : 0))];
        _commonTrigrams = byTrigram.Keys.Where(key => !_questionsByTrigram.ContainsKey(key)).ToHashSet(StringComparer.Ordinal);
    }

    public bool IsEmpty => _conceptOfQuestion.Length == 0;

    /// <summary>
    /// For each concept with a question sharing a word with the query, how close its closest
    /// question is by words (0 to 1). A word counts once per question, by its share of the query,
    /// and a misspelt word by <paramref name="typoDiscount"/> of that.
    /// </summary>
    public Dictionary<int, float> WordCloseness(IEnumerable<(int Word, float Share, string Term, bool IsCorrection)> queryTerms, float queryWeight, float typoDiscount)
    {
        using var overlaps = new Overlaps(_conceptOfQuestion.Length, _overlapPool, _lastWordPool);
        foreach (var (word, share, term, isCorrection) in queryTerms)
        {
            if (_questionsByTerm.TryGetValue(term, out var questions))
            {
                var points = share * (isCorrection ? typoDiscount : 1);
                foreach (var question in questions)
                {
                    overlaps.AddOncePerWord(question, word, points);
                }
            }
        }

        return ClosestPerConcept(overlaps, queryWeight, _questionWordWeight);
    }

    /// <summary>For each concept with a question sharing text with the query, how close its closest question is by text (0 to 1).</summary>
    public Dictionary<int, float> TextCloseness(string query)
    {
        using var overlaps = new Overlaps(_conceptOfQuestion.Length, _overlapPool, _lastWordPool);
        var queryWeight = 0f;
        foreach (var trigram in Trigrams(query))
        {
            if (_questionsByTrigram.TryGetValue(trigram, out var entry))
            {
                queryWeight += entry.Weight;
                foreach (var question in entry.Questions)
                {
                    overlaps.Add(question, entry.Weight);
                }
            }
            else if (!_commonTrigrams.Contains(trigram))
            {
                queryWeight += _unknownTrigramWeight;
            }
        }

        return ClosestPerConcept(overlaps, queryWeight, _questionTextWeight);
    }

    /// <summary>
    /// The distinct three-character pieces of the text with its words lower-cased and everything
    /// between them read as one space, the ends included: "Deep copy!" gives " de", "dee", "eep",
    /// "ep ", "p c" and so on.
    /// </summary>
    internal static HashSet<string> Trigrams(string text)
    {
        var normal = new StringBuilder(text.Length + 2).Append(' ');
        foreach (var character in text)
        {
            if (char.IsLetterOrDigit(character) || character == '_')
            {
                normal.Append(char.ToLowerInvariant(character));
            }
            else if (normal[^1] != ' ')
            {
                normal.Append(' ');
            }
        }

        if (normal[^1] != ' ')
        {
            normal.Append(' ');
        }

        var joined = normal.ToString();
        var trigrams = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start + 3 <= joined.Length; start++)
        {
            trigrams.Add(joined.Substring(start, 3));
        }

        return trigrams;
    }

    private Dictionary<int, float> ClosestPerConcept(Overlaps overlaps, float queryWeight, float[] questionWeights)
    {
        var closeness = new Dictionary<int, float>();
        foreach (var question in overlaps.Touched)
        {
            var dice = 2 * overlaps[question] / (queryWeight + questionWeights[question]);
            ref var closest = ref CollectionsMarshal.GetValueRefOrAddDefault(closeness, _conceptOfQuestion[question], out _);
            closest = Math.Max(closest, dice);
        }

        return closeness;
    }

    private static void AddPosting(Dictionary<string, List<int>> postings, string key, int question)
    {
        ref var questions = ref CollectionsMarshal.GetValueRefOrAddDefault(postings, key, out _);
        questions ??= [];
        if (questions.Count == 0 || questions[^1] != question)
        {
            questions.Add(question);
        }
    }

    /// <summary>
    /// Each question's overlap with the query, in arrays rented for one lookup: a large course has
    /// tens of thousands of questions, and a query touches many of them.
    /// </summary>
    private readonly struct Overlaps : IDisposable
    {
        private readonly ArrayPool<float> _overlapPool;
        private readonly ArrayPool<int> _lastWordPool;
        private readonly float[] _overlap;
        private readonly int[] _lastWord;
        private readonly List<int> _touched;

        public Overlaps(int questionCount, ArrayPool<float> overlapPool, ArrayPool<int> lastWordPool)
        {
            _overlapPool = overlapPool;
            _lastWordPool = lastWordPool;
            _overlap = overlapPool.Rent(questionCount);
            _lastWord = lastWordPool.Rent(questionCount);
            _touched = [];
        }

        public List<int> Touched => _touched;

        public float this[int question] => _overlap[question];

        public void Add(int question, float points)
        {
            Touch(question);
            _overlap[question] += points;
        }

        /// <summary>Adds a query word's points once per question, however many of its forms the question has.</summary>
        public void AddOncePerWord(int question, int word, float points)
        {
            Touch(question);
            if (_lastWord[question] != word + 1)
            {
                _lastWord[question] = word + 1;
                _overlap[question] += points;
            }
        }

        public void Dispose()
        {
            // Rented arrays come back dirty only where this lookup wrote: clear just those.
            foreach (var question in _touched)
            {
                _overlap[question] = 0;
                _lastWord[question] = 0;
            }

            _overlapPool.Return(_overlap);
            _lastWordPool.Return(_lastWord);
        }

        private void Touch(int question)
        {
            if (_overlap[question] == 0 && _lastWord[question] == 0)
            {
                _touched.Add(question);
            }
        }
    }
}
