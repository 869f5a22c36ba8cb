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
    private readonly int[] _conceptOfQuestion;
    private readonly float[] _questionWordWeight;
    private readonly float[] _questionTextWeight;
    private readonly Dictionary<string, int[]> _questionsByTerm;
    private readonly Dictionary<string, (float Weight, int[] Questions)> _questionsByTrigram;
    private readonly float _unknownTrigramWeight;

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
        _questionsByTrigram = byTrigram.ToDictionary(
            pair => pair.Key,
            pair => (MathF.Log(1 + ((float)questionCount / pair.Value.Count)), pair.Value.ToArray()),
            StringComparer.Ordinal);
        _unknownTrigramWeight = MathF.Log(1 + questionCount);
        _questionTextWeight = [.. questionTrigrams.Select(trigrams => trigrams.Sum(trigram => _questionsByTrigram[trigram].Weight))];
    }

    public bool IsEmpty => _conceptOfQuestion.Length == 0;

    /// <summary>
    /// For each concept with a question sharing a word with the query, how close its closest
    /// question is by words (0 to 1). A word counts once per question, by its share of the query,
    /// and a misspelt word by <paramref name="typoDiscount"/> of that.
    /// </summary>
    public Dictionary<int, float> WordCloseness(IEnumerable<(int Word, float Share, string Term, bool IsCorrection)> queryTerms, float queryWeight, float typoDiscount)
    {
        var overlaps = new Dictionary<int, (int LastWord, float Overlap)>();
        foreach (var (word, share, term, isCorrection) in queryTerms)
        {
            if (!_questionsByTerm.TryGetValue(term, out var questions))
            {
                continue;
            }

            var points = share * (isCorrection ? typoDiscount : 1);
            foreach (var question in questions)
            {
                ref var overlap = ref CollectionsMarshal.GetValueRefOrAddDefault(overlaps, question, out var existed);
                if (!existed)
                {
                    overlap = (-1, 0);
                }

                if (overlap.LastWord != word)
                {
                    overlap = (word, overlap.Overlap + points);
                }
            }
        }

        return ClosestPerConcept(overlaps.Select(pair => (pair.Key, pair.Value.Overlap)), queryWeight, _questionWordWeight);
    }

    /// <summary>For each concept with a question sharing text with the query, how close its closest question is by text (0 to 1).</summary>
    public Dictionary<int, float> TextCloseness(string query)
    {
        // A long paste shares common pieces (" th", "ion") with most questions: arrays, not a dictionary, keep that cheap.
        var overlaps = new float[_conceptOfQuestion.Length];
        var touched = new List<int>();
        var queryWeight = 0f;
        foreach (var trigram in Trigrams(query))
        {
            if (!_questionsByTrigram.TryGetValue(trigram, out var entry))
            {
                queryWeight += _unknownTrigramWeight;
                continue;
            }

            queryWeight += entry.Weight;
            foreach (var question in entry.Questions)
            {
                if (overlaps[question] == 0)
                {
                    touched.Add(question);
                }

                overlaps[question] += entry.Weight;
            }
        }

        return ClosestPerConcept(touched.Select(question => (question, overlaps[question])), queryWeight, _questionTextWeight);
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

    private Dictionary<int, float> ClosestPerConcept(IEnumerable<(int Question, float Overlap)> overlaps, float queryWeight, float[] questionWeights)
    {
        var closeness = new Dictionary<int, float>();
        foreach (var (question, overlap) in overlaps)
        {
            var dice = 2 * overlap / (queryWeight + questionWeights[question]);
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
}
