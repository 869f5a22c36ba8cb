using System.Buffers;
using System.Runtime.InteropServices;
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
    private readonly Dictionary<long, (float Weight, int[] Questions)> _questionsByTrigram;
    private readonly float _unknownTrigramWeight;
    private readonly HashSet<long> _commonTrigrams;

    // Pools of this index's own, one per use: overlaps and last words come back cleared where they were
    // written, which the shared pools don't promise; touched lists need no clearing.
    private readonly ArrayPool<float> _overlapPool = ArrayPool<float>.Create();
    private readonly ArrayPool<int> _lastWordPool = ArrayPool<int>.Create();
    private readonly ArrayPool<int> _touchedPool = ArrayPool<int>.Create();

    public AskedQuestions(IReadOnlyList<Concept> concepts, Func<string, float> rarity)
        : this(Read(concepts, new NameTermCache()), rarity)
    {
    }

    /// <param name="reading">The questions as <see cref="Read"/> found them.</param>
    /// <param name="rarity">How telling each word is in the course: what a question's words weigh.</param>
    public AskedQuestions(Reading reading, Func<string, float> rarity)
    {
        ArgumentNullException.ThrowIfNull(reading);
        _conceptOfQuestion = reading.ConceptOfQuestion;
        _questionsByTerm = reading.QuestionsByTerm;
        _questionsByTrigram = reading.QuestionsByTrigram;
        _commonTrigrams = reading.CommonTrigrams;
        _questionTextWeight = reading.QuestionTextWeight;
        _unknownTrigramWeight = MathF.Log(1 + Math.Max(1, _conceptOfQuestion.Length));
        _questionWordWeight = new float[_conceptOfQuestion.Length];
        for (var question = 0; question < _questionWordWeight.Length; question++)
        {
            foreach (var term in reading.TermsOfQuestion[question])
            {
                _questionWordWeight[question] += rarity(term);
            }
        }
    }

    /// <summary>
    /// Reads every question's words and pieces. Nothing here needs the rest of the course's index, so
    /// it runs while that index is built; only the words' weights wait for it.
    /// </summary>
    public static Reading Read(IReadOnlyList<Concept> concepts, NameTermCache names)
    {
        var conceptOfQuestion = new List<int>();
        var termsOfQuestion = new List<string[]>();
        var byTerm = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var byTrigram = new Dictionary<long, List<int>>();
        var trigrams = new HashSet<long>();
        var terms = new List<string>();
        for (var concept = 0; concept < concepts.Count; concept++)
        {
            foreach (var question in concepts[concept].Asked)
            {
                var index = conceptOfQuestion.Count;
                terms.Clear();
                foreach (var word in SearchTerms.Query(question, names))
                {
                    if (terms.Contains(word.Term))
                    {
                        continue;
                    }

                    terms.Add(word.Term);
                    AddPosting(byTerm, word.Term, index);
                    if (word.Surface is { } surface && surface != word.Term)
                    {
                        AddPosting(byTerm, surface, index);
                    }
                }

                AddTrigrams(question, trigrams);
                foreach (var trigram in trigrams)
                {
                    AddPosting(byTrigram, trigram, index);
                }

                conceptOfQuestion.Add(concept);
                termsOfQuestion.Add([.. terms]);
            }
        }

        var questionCount = Math.Max(1, conceptOfQuestion.Count);
        var commonCount = Math.Max(MinimumCommonTrigramCount, CommonTrigramShare * questionCount);
        var byKeptTrigram = new Dictionary<long, (float Weight, int[] Questions)>(byTrigram.Count);
        var commonTrigrams = new HashSet<long>();

        // A question's text weighs what its kept pieces weigh, summed here piece by piece from the postings.
        var questionTextWeight = new float[conceptOfQuestion.Count];
        foreach (var (trigram, questions) in byTrigram)
        {
            if (questions.Count > commonCount)
            {
                commonTrigrams.Add(trigram);
                continue;
            }

            var weight = MathF.Log(1 + ((float)questionCount / questions.Count));
            byKeptTrigram[trigram] = (weight, [.. questions]);
            foreach (var question in questions)
            {
                questionTextWeight[question] += weight;
            }
        }

        return new Reading(
            [.. conceptOfQuestion],
            [.. termsOfQuestion],
            byTerm.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal),
            byKeptTrigram,
            commonTrigrams,
            questionTextWeight);
    }

    /// <summary>What <see cref="Read"/> finds in the questions: everything but the weights of their words.</summary>
    internal sealed record Reading(
        int[] ConceptOfQuestion,
        string[][] TermsOfQuestion,
        Dictionary<string, int[]> QuestionsByTerm,
        Dictionary<long, (float Weight, int[] Questions)> QuestionsByTrigram,
        HashSet<long> CommonTrigrams,
        float[] QuestionTextWeight);

    public bool IsEmpty => _conceptOfQuestion.Length == 0;

    /// <summary>
    /// For each concept with a question sharing a word with the query, how close its closest
    /// question is by words (0 to 1). A word counts once per question, by its share of the query,
    /// and a misspelt word by <paramref name="typoDiscount"/> of that.
    /// </summary>
    public Dictionary<int, float> WordCloseness(IEnumerable<(int Word, float Share, string Term, bool IsCorrection)> queryTerms, float queryWeight, float typoDiscount)
    {
        using var overlaps = new Overlaps(_conceptOfQuestion.Length, _overlapPool, _lastWordPool, _touchedPool);
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
        using var overlaps = new Overlaps(_conceptOfQuestion.Length, _overlapPool, _lastWordPool, _touchedPool);
        var queryWeight = 0f;
        var trigrams = new HashSet<long>();
        AddTrigrams(query, trigrams);
        foreach (var trigram in trigrams)
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
    /// Replaces <paramref name="trigrams"/> with the text's distinct three-character pieces, its words
    /// lower-cased and everything between them read as one space, the ends included: "Deep copy!"
    /// gives " de", "dee", "eep", "ep ", "p c" and so on. Each piece is its three characters packed
    /// in a number (<see cref="TrigramText"/> reads one back): a large course has millions of them.
    /// </summary>
    internal static void AddTrigrams(string text, HashSet<long> trigrams)
    {
        trigrams.Clear();
        long window = ' ';
        var length = 1;
        var lastWasSpace = true;
        foreach (var character in text)
        {
            if (char.IsLetterOrDigit(character) || character == '_')
            {
                Push(char.ToLowerInvariant(character));
                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                Push(' ');
                lastWasSpace = true;
            }
        }

        if (!lastWasSpace)
        {
            Push(' ');
        }

        void Push(char next)
        {
            window = ((window << 16) | next) & 0xFFFF_FFFF_FFFF;
            if (++length >= 3)
            {
                trigrams.Add(window);
            }
        }
    }

    /// <summary>The three characters a piece from <see cref="AddTrigrams"/> stands for.</summary>
    internal static string TrigramText(long trigram) =>
        new([(char)(trigram >> 32), (char)((trigram >> 16) & 0xFFFF), (char)(trigram & 0xFFFF)]);

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

    private static void AddPosting<TKey>(Dictionary<TKey, List<int>> postings, TKey key, int question)
        where TKey : notnull
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
    private sealed class Overlaps : IDisposable
    {
        private readonly ArrayPool<float> _overlapPool;
        private readonly ArrayPool<int> _lastWordPool;
        private readonly ArrayPool<int> _touchedPool;
        private readonly float[] _overlap;
        private readonly int[] _lastWord;
        private readonly int[] _touched;
        private int _touchedCount;

        public Overlaps(int questionCount, ArrayPool<float> overlapPool, ArrayPool<int> lastWordPool, ArrayPool<int> touchedPool)
        {
            _overlapPool = overlapPool;
            _lastWordPool = lastWordPool;
            _touchedPool = touchedPool;
            _overlap = overlapPool.Rent(questionCount);
            _lastWord = lastWordPool.Rent(questionCount);
            _touched = touchedPool.Rent(questionCount);
        }

        public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _touchedCount);

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
            foreach (var question in Touched)
            {
                _overlap[question] = 0;
                _lastWord[question] = 0;
            }

            _overlapPool.Return(_overlap);
            _lastWordPool.Return(_lastWord);
            _touchedPool.Return(_touched);
        }

        private void Touch(int question)
        {
            if (_overlap[question] == 0 && _lastWord[question] == 0)
            {
                _touched[_touchedCount++] = question;
            }
        }
    }
}
