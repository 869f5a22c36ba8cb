using Bot.Core.Search;

namespace Bot.Core.Explain;

/// <summary>What <c>/explain</c> showed.</summary>
public abstract record ExplainOutcome : CommandOutcome;

/// <summary>A concept (or one section of it) was shown.</summary>
public sealed record ConceptShown(string ConceptId, string Title, string? Section, MatchKind MatchedBy) : ExplainOutcome;

/// <summary>No confident match; the reply offers these instead (possibly none).</summary>
public sealed record ConceptSuggestions(IReadOnlyList<ConceptRef> Suggestions) : ExplainOutcome;

/// <summary>A blank query: the reply lists every concept.</summary>
public sealed record CourseListing(IReadOnlyList<ConceptRef> Concepts) : ExplainOutcome;

public sealed record ConceptRef(string ConceptId, string Title);
