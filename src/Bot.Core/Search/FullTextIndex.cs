using System.Runtime.InteropServices;

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

    private readonly Dictionary<string, List<Posting>> _postings;
    private readonly float[] _lengthNorm;

    public FullTextIndex(IReadOnlyList<WeightedDocument> documents)
    {
        // Tokenizing dominates the build; documents are independent, so count terms in parallel
        // and merge in document order, which keeps every posting list sorted by document.
        var counted = documents.AsParallel().AsOrdered().Select(CountTerms).ToArray();
        _postings = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
        var lengths = new float[documents.Count];
        for (var doc = 0; doc < counted.Length; doc++)
        {
            var (frequencies, length) = counted[doc];
            lengths[doc] = length;
            foreach (var (term, frequency) in frequencies)
            {
                ref var postings = ref CollectionsMarshal.GetValueRefOrAddDefault(_postings, term, out _);
                (postings ??= []).Add(new Posting(doc, frequency));
            }
        }

        var averageLength = documents.Count == 0 ? 1f : Math.Max(1f, lengths.Average());
        _lengthNorm = [.. lengths.Select(length => K1 * (1 - B + (B * length / averageLength)))];
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

            var idf = Idf(postings.Count);
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

    private static (Dictionary<string, float> Frequencies, float Length) CountTerms(WeightedDocument document)
    {
        var frequencies = new Dictionary<string, float>(StringComparer.Ordinal);
        var length = 0f;
        foreach (var (text, weight) in document.Fields)
        {
            foreach (var term in TextNormalizer.Terms(text))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(frequencies, term, out _) += weight;
                length += weight;
            }
        }

        return (frequencies, length);
    }

    private float Idf(int documentFrequency) =>
        MathF.Log(1 + ((DocumentCount - documentFrequency + 0.5f) / (documentFrequency + 0.5f)));

    private readonly record struct Posting(int Document, float Frequency);
}

internal sealed record WeightedDocument(IReadOnlyList<(string Text, float Weight)> Fields);

internal readonly record struct ScoredDocument(int Document, float Score, float Coverage);
