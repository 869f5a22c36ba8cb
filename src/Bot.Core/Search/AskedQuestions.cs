using System.Runtime.InteropServices;
using Bot.Core.Knowledge;

namespace Bot.Core.Search;

/// <summary>
/// The questions concepts say learners ask (<see cref="Concept.Asked"/>), each matched as a whole: a
/// query that says most of what one question says, and little else, is close to it however far its
/// words are from the concept's own text. Closeness is the Dice overlap of the two, each word weighed
/// by its rarity, so sharing "function" counts little and sharing "decorator" much.
/// </summary>
internal sealed class AskedQuestions
{
    private readonly int[] _conceptOfQuestion;
    private readonly float[] _questionWeight;
    private readonly Dictionary<string, int[]> _questionsByTerm;

    public AskedQuestions(IReadOnlyList<Concept> concepts, Func<string, float> rarity)
    {
        var conceptOfQuestion = new List<int>();
        var questionWeight = new List<float>();
        var building = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var concept = 0; concept < concepts.Count; concept++)
        {
            foreach (var question in concepts[concept].Asked)
            {
                var index = conceptOfQuestion.Count;
                var weight = 0f;
                foreach (var word in SearchTerms.Query(question).DistinctBy(word => word.Term))
                {
                    weight += rarity(word.Term);
                    foreach (var term in word.Surface is { } surface && surface != word.Term ? [word.Term, surface] : new[] { word.Term })
                    {
                        ref var questions = ref CollectionsMarshal.GetValueRefOrAddDefault(building, term, out _);
                        questions ??= [];
                        if (questions.Count == 0 || questions[^1] != index)
                        {
                            questions.Add(index);
                        }
                    }
                }

                conceptOfQuestion.Add(concept);
                questionWeight.Add(weight);
            }
        }

        _conceptOfQuestion = [.. conceptOfQuestion];
        _questionWeight = [.. questionWeight];
        _questionsByTerm = building.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    public bool IsEmpty => _conceptOfQuestion.Length == 0;

    /// <summary>
    /// For each concept with a question sharing a word with the query, how close its closest
    /// question is (0 to 1). A word counts once per question, by its share of the query, and a
    /// misspelt word by <paramref name="typoDiscount"/> of that.
    /// </summary>
    public Dictionary<int, float> Closeness(IEnumerable<(int Word, float Share, string Term, bool IsCorrection)> queryTerms, float queryWeight, float typoDiscount)
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

        var closeness = new Dictionary<int, float>();
        foreach (var (question, (_, overlap)) in overlaps)
        {
            var dice = 2 * overlap / (queryWeight + _questionWeight[question]);
            ref var best = ref CollectionsMarshal.GetValueRefOrAddDefault(closeness, _conceptOfQuestion[question], out _);
            best = Math.Max(best, dice);
        }

        return closeness;
    }
}
