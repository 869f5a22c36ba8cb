using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Bot.Core.Knowledge;

namespace Bot.Core.Search;

/// <summary>Where in a concept a term was found; each field has its own weight.</summary>
internal enum ConceptField
{
    /// <summary>Title, aliases and id.</summary>
    Name,

    /// <summary>Summary, tags and keywords: what the author says the concept is about.</summary>
    Summary,

    /// <summary>Section headings other than the standard ones.</summary>
    Heading,

    /// <summary>Inline code in prose: the names the text points at (<c>nonlocal</c>, <c>__iter__</c>).</summary>
    InlineCode,

    /// <summary>Code blocks and their output: every name and shape an example uses.</summary>
    CodeBlock,

    /// <summary>Everything else in the sections (not the quiz).</summary>
    Prose,

    /// <summary>The questions learners ask when this concept is the answer (<see cref="Concept.Asked"/>).</summary>
    Asked,
}

/// <summary>
/// A per-field BM25 index over concepts: a term's score in a concept is the sum over fields of the
/// field's weight times that field's saturated term frequency, times the term's rarity across
/// concepts. Built once per knowledge base; immutable and safe to share.
/// </summary>
internal sealed partial class ConceptIndex
{
    private const float K1 = 1.2f;
    private const float B = 0.75f;

    private const int FieldCount = 7;

    private static readonly HashSet<string> StandardHeadings = new(StringComparer.OrdinalIgnoreCase)
    {
        "Definition", "Example", "Examples", "Pitfalls", "See also",
    };

    private readonly Dictionary<string, Posting[]> _postings;
    private readonly HashSet<string> _askedOnly = new(StringComparer.Ordinal);
    private readonly int _conceptCount;

    public ConceptIndex(IReadOnlyList<Concept> concepts, IReadOnlyList<float> fieldWeights, NameTermCache names)
    {
        if (fieldWeights.Count != FieldCount)
        {
            throw new ArgumentException($"one weight per field ({FieldCount}) is needed", nameof(fieldWeights));
        }

        _conceptCount = concepts.Count;
        const int fieldCount = FieldCount;
        var counted = concepts.AsParallel().AsOrdered().Select(concept => CountTerms(concept, names)).ToArray();

        var averageLengths = new float[fieldCount];
        for (var field = 0; field < fieldCount; field++)
        {
            averageLengths[field] = Math.Max(1f, counted.Length == 0 ? 1f : (float)counted.Average(concept => concept.Lengths[field]));
        }

        var building = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
        var foundElsewhere = new HashSet<string>(StringComparer.Ordinal);
        for (var concept = 0; concept < counted.Length; concept++)
        {
            var (frequencies, lengths) = counted[concept];
            foreach (var (term, perField) in frequencies)
            {
                if (HasOtherField(perField))
                {
                    foundElsewhere.Add(term);
                }

                var weighted = 0f;
                for (var field = 0; field < fieldCount; field++)
                {
                    if (perField[field] == 0)
                    {
                        continue;
                    }

                    // Names are short and few, so their length says nothing: no length normalisation there.
                    var lengthNorm = field == (int)ConceptField.Name ? 1f : 1 - B + (B * lengths[field] / averageLengths[field]);
                    weighted += fieldWeights[field] * perField[field] * (K1 + 1) / (perField[field] + (K1 * lengthNorm));
                }

                ref var postings = ref CollectionsMarshal.GetValueRefOrAddDefault(building, term, out _);
                (postings ??= []).Add(new Posting(concept, weighted, perField[(int)ConceptField.Name] > 0));
            }
        }

        _postings = building.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        _askedOnly.UnionWith(_postings.Keys.Where(term => !foundElsewhere.Contains(term)));
        Vocabulary = [.. _postings.Keys.Where(term => term.Length >= 4 && term.All(char.IsAsciiLetterLower) && !_askedOnly.Contains(term))];
    }

    /// <summary>Every word term long enough to be worth correcting a typo towards: the course's own words, not its learners' misspellings.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    public bool Contains(string term) => _postings.ContainsKey(term);

    /// <summary>
    /// Whether the term occurs only in learners' asked questions, which keep their misspellings on
    /// purpose ("decoraters"): such a word is known, but it is no reason not to correct it too.
    /// </summary>
    public bool IsOnlyAsked(string term) => _askedOnly.Contains(term);

    private static bool HasOtherField(FieldCounts counts)
    {
        for (var field = 0; field < FieldCount; field++)
        {
            if (field != (int)ConceptField.Asked && counts[field] > 0)
            {
                return true;
            }
        }

        return false;
    }

    public int DocumentFrequency(string term) => _postings.TryGetValue(term, out var postings) ? postings.Length : 0;

    /// <summary>How telling a term is: high for a term few concepts have, zero-ish for one all have.</summary>
    public float Rarity(string term) => Rarity(DocumentFrequency(term));

    /// <summary>The rarity an unknown term would have: that of a term found in one concept.</summary>
    public float UnknownRarity => Rarity(1);

    public ReadOnlySpan<Posting> Postings(string term) =>
        _postings.TryGetValue(term, out var postings) ? postings : [];

    private float Rarity(int documentFrequency) =>
        MathF.Log(1 + ((_conceptCount - documentFrequency + 0.5f) / (documentFrequency + 0.5f)));

    /// <summary>A concept's terms with their counts per field, and each field's length in terms.</summary>
    /// <remarks>An array rather than the dictionary it was counted in: all concepts are counted before any is weighed, and a large course's dictionaries would live long enough to be collected the expensive way.</remarks>
    private static (KeyValuePair<string, FieldCounts>[] Frequencies, int[] Lengths) CountTerms(Concept concept, NameTermCache names)
    {
        const int fieldCount = FieldCount;
        // Sized from the text up front: growing a dictionary of thousands of terms step by step allocates it several times over.
        var frequencies = new Dictionary<string, FieldCounts>(EstimatedTermCount(concept), StringComparer.Ordinal);
        var lengths = new int[fieldCount];
        var terms = new List<string>();

        void Add(ConceptField field)
        {
            foreach (var term in terms)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(frequencies, term, out _)[(int)field]++;
            }

            lengths[(int)field] += terms.Count;
            terms.Clear();
        }

        foreach (var name in ConceptSearch.Names(concept))
        {
            SearchTerms.AddCode(name, terms, names);
            SearchTerms.AddPairs(name, terms, names);
            terms.Add(NameTerm(TextNormalizer.Key(name)));
        }

        Add(ConceptField.Name);
        SearchTerms.AddProse(concept.Summary, terms, names);
        SearchTerms.AddPairs(concept.Summary, terms, names);
        foreach (var tag in concept.Tags.Concat(concept.Keywords))
        {
            SearchTerms.AddCode(tag, terms, names);
            SearchTerms.AddPairs(tag, terms, names);
        }

        Add(ConceptField.Summary);
        foreach (var question in concept.Asked)
        {
            SearchTerms.AddCode(question, terms, names);
        }

        Add(ConceptField.Asked);
        foreach (var section in concept.Sections)
        {
            if (!StandardHeadings.Contains(section.Heading))
            {
                SearchTerms.AddProse(section.Heading, terms, names);
                Add(ConceptField.Heading);
            }

            ReadSection(section.Markdown, terms, Add, names);
        }

        return ([.. frequencies], lengths);
    }

    private static int EstimatedTermCount(Concept concept) =>
        (concept.Body.Length / 12) + (concept.Asked.Sum(question => question.Length) / 10) + 64;

    /// <summary>
    /// Sorts a section's text into code blocks, inline code and prose by a line scan: fences and
    /// backticks are all the search needs to know, and a full Markdown parse per section is most of
    /// the cost of building the index for a large course.
    /// </summary>
    private static void ReadSection(string markdown, List<string> terms, Action<ConceptField> add, NameTermCache names)
    {
        string? fence = null;
        var codeStart = 0;
        foreach (var lineRange in markdown.AsSpan().Split('\n'))
        {
            var line = markdown.AsSpan(lineRange).TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.TrimEnd().Length == fence.Length)
                {
                    SearchTerms.AddCode(markdown.AsSpan(codeStart, lineRange.Start.Value - codeStart), terms, names);
                    add(ConceptField.CodeBlock);
                    fence = null;
                }

                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..(trimmed.Length - trimmed.TrimStart(trimmed[0]).Length)].ToString();
                codeStart = Math.Min(lineRange.End.Value + 1, markdown.Length);
                continue;
            }

            // Odd pieces between backticks are inline code; the rest is prose, without link targets.
            var text = line.Contains("](", StringComparison.Ordinal) ? LinkTarget().Replace(line.ToString(), "]").AsSpan() : line;
            var pieceCount = text.Count('`') + 1;
            var index = 0;
            foreach (var pieceRange in text.Split('`'))
            {
                var piece = text[pieceRange];
                if (index % 2 == 1 && index < pieceCount - 1)
                {
                    SearchTerms.AddCode(piece, terms, names);
                    add(ConceptField.InlineCode);
                }
                else
                {
                    SearchTerms.AddProse(piece, terms, names);
                    add(ConceptField.Prose);
                }

                index++;
            }
        }

        if (fence is not null)
        {
            SearchTerms.AddCode(markdown.AsSpan(codeStart), terms, names);
            add(ConceptField.CodeBlock);
        }
    }

    [GeneratedRegex(@"\]\([^)\s]*\)")]
    private static partial Regex LinkTarget();

    /// <summary>The term a whole name makes: "context manager" is one term, found only when a query says those words together.</summary>
    public static string NameTerm(string key) => "=" + key;

    /// <summary>A term's count in each field, kept inline in the dictionary entry: a large course has millions of them.</summary>
    [System.Runtime.CompilerServices.InlineArray(FieldCount)]
    internal struct FieldCounts
    {
        private int _count;
    }

    /// <param name="Weight">The term's weighted, saturated frequency in the concept, before rarity.</param>
    /// <param name="InName">Whether the term is part of the concept's title, an alias or its id.</param>
    internal readonly record struct Posting(int Concept, float Weight, bool InName);
}
