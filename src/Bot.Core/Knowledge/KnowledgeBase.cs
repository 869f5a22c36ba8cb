using Bot.Core.Search;

namespace Bot.Core.Knowledge;

/// <summary>An immutable, validated set of concepts with its search index.</summary>
public sealed class KnowledgeBase
{
    private readonly Dictionary<string, Concept> _byId;
    private readonly ConceptSearch _search;

    internal KnowledgeBase(IReadOnlyList<Concept> concepts)
    {
        Concepts = concepts;
        _byId = concepts.ToDictionary(concept => concept.Id, StringComparer.OrdinalIgnoreCase);
        _search = new ConceptSearch(concepts);
    }

    /// <summary>Ordered by course, then title.</summary>
    public IReadOnlyList<Concept> Concepts { get; }

    public Concept? FindById(string id) => _byId.GetValueOrDefault(id);

    public LookupResult Lookup(string query) => _search.Lookup(query);

    /// <summary>Up to <paramref name="limit"/> concepts for a partly typed topic, best first.</summary>
    public IReadOnlyList<Concept> Complete(string partial, int limit) => _search.Complete(partial, limit);
}

/// <summary>Gives the knowledge base currently served; it may be replaced by a reload at any time.</summary>
public interface IKnowledgeBaseSource
{
    KnowledgeBase Current { get; }
}
