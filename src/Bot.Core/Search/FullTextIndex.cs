namespace Bot.Core.Search;

/// <summary>
/// BM25 over weighted fields: a term in a title or alias counts three times, in a summary or tag
/// twice, in the body once. Built once per knowledge base; queries touch only the posting lists
/// of their own terms.
/// </summary>
internal sealed class FullTextIndex
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    private readonly Dictionary<string, Posting[]> _postings;
    private readonly float[] _lengthNorm;

    public FullTextIndex(IReadOnlyList<WeightedDocument> documents)
    {
        var counts = new Dictionary<string, Dictionary<int, float>>(StringComparer.Ordinal);
        var lengths = new float[documents.Count];
        for (var doc = 0; doc < documents.Count; doc++)
        {
            foreach (var (text, weight) in documents[doc].Fields)
            {
                foreach (var term in TextNormalizer.Terms(text))
                {
                    if (!counts.TryGetValue(term, out var perDoc))
                    {
                        counts[term] = perDoc = [];
                    }

                    perDoc[doc] = perDoc.GetValueOrDefault(doc) + weight;
                    lengths[doc] += weight;
                }
            }
        }

        var averageLength = documents.Count == 0 ? 1f : Math.Max(1f, lengths.Average());
        _lengthNorm = [.. lengths.Select(length => K1 * (1 - B + (B * length / averageLength)))];
        _postings = counts.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Select(entry => new Posting(entry.Key, entry.Value)).ToArray(),
            StringComparer.Ordinal);
        DocumentCount = documents.Count;
    }

    public int DocumentCount { get; }

    /// <summary>
    /// Documents ranked by score, best first, with the share of the query's weight (sum of the
    /// idf of its terms) that each document matched.
    /// </summary>
    public List<ScoredDocument> Search(string query, int limit)
    {
        var terms = TextNormalizer.Terms(query).Distinct().ToList();
        var scores = new Dictionary<int, (float Score, float Matched)>();
        var queryWeight = 0f;
        foreach (var term in terms)
        {
            if (!_postings.TryGetValue(term, out var postings))
            {
                queryWeight += Idf(0);
                continue;
            }

            var idf = Idf(postings.Length);
            queryWeight += idf;
            foreach (var (doc, frequency) in postings)
            {
                var score = idf * frequency * (K1 + 1) / (frequency + _lengthNorm[doc]);
                var (total, matched) = scores.GetValueOrDefault(doc);
                scores[doc] = (total + score, matched + idf);
            }
        }

        return [.. scores
            .Select(pair => new ScoredDocument(pair.Key, pair.Value.Score, queryWeight == 0 ? 0 : pair.Value.Matched / queryWeight))
            .OrderByDescending(scored => scored.Score)
            .ThenBy(scored => scored.Document)
            .Take(limit)];
    }

    private float Idf(int documentFrequency) =>
        MathF.Log(1 + ((DocumentCount - documentFrequency + 0.5f) / (documentFrequency + 0.5f)));

    private readonly record struct Posting(int Document, float Frequency);
}

internal sealed record WeightedDocument(IReadOnlyList<(string Text, float Weight)> Fields);

internal readonly record struct ScoredDocument(int Document, float Score, float Coverage);
