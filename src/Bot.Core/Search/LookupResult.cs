using Bot.Core.Knowledge;

namespace Bot.Core.Search;

/// <summary>How a query was resolved.</summary>
public enum MatchKind
{
    /// <summary>The query was blank.</summary>
    Blank,

    /// <summary>The query names an id, title or alias (ignoring case, spaces and punctuation).</summary>
    Exact,

    /// <summary>The query is a misspelling of exactly one concept's name.</summary>
    Typo,

    /// <summary>Full-text search found one clearly best concept.</summary>
    Phrase,

    /// <summary>Nothing was confident; see the suggestions.</summary>
    Unsure,
}

/// <summary>The answer to a lookup: a concept when confident, otherwise ranked suggestions (possibly none).</summary>
public sealed record LookupResult(MatchKind Kind, Concept? Concept, IReadOnlyList<Concept> Suggestions);
