namespace Bot.Core.Search;

/// <summary>
/// The numbers that weigh evidence and decide when a scored lookup may show a concept instead of
/// suggestions. Showing a wrong lesson with confidence is the worst outcome, so all must hold: the
/// concept matched enough of what the query says (coverage), the match is strong (a name or the
/// summary, not one word deep in an example), and it clearly leads the runner-up, both as a ratio and
/// by a margin in units of the query's weight (two strong neighbours a few percent apart are a tie,
/// however high both score). The defaults were set on the labelled learner queries in the tests
/// (<c>SearchCalibrationTests</c>), not by feel.
/// </summary>
/// <param name="FieldWeights">Per <see cref="ConceptField"/>, in its order.</param>
/// <param name="TypoDiscount">A corrected misspelling counts for this share of the word it was corrected to, so a typo never outweighs an exact match of a rarer term.</param>
/// <param name="StemDiscount">A word's stem counts for this share when the form the learner typed is found too.</param>
/// <param name="ShapeBoost">How much more a syntax shape or a dunder name in the query counts than a word: the syntax is what a code query asks about, its other names are the learner's own.</param>
/// <param name="UnknownWordShare">How much a word the course doesn't have counts against coverage, against a word found in one concept.</param>
/// <param name="ErrorClassWeight">How much the class of a pasted error (<c>TypeError</c>) counts, against a word, when a message follows it.</param>
/// <param name="AskedExponent">Asked closeness (0 to 1) is raised to this power before it is weighed: above 1, a question matched almost word for word counts far more than one that only shares some words.</param>
/// <param name="PairWeight">How much two neighbouring query words found together in a name, summary or keyword count, against one word.</param>
/// <param name="AskedWordWeight">What a query with the same words as one of a concept's asked questions adds, in units of the query's rarity (a name match adds about 3).</param>
/// <param name="AskedTextWeight">What a query typed exactly as one of a concept's asked questions adds, in the same units.</param>
/// <param name="CoverageExponent">How much matching more of the query's words raises a concept's score (0: not at all).</param>
/// <param name="MinimumCoverage">The share of the query's rarity-weighted terms the best concept must match.</param>
/// <param name="MinimumStrength">The best concept's score per unit of the query's rarity: about 1 for a word in the prose, 3 for a name.</param>
/// <param name="MinimumLead">How many times the runner-up's score the best concept must reach.</param>
/// <param name="MinimumMargin">How far, in units of the query's rarity, the best concept must score above the runner-up.</param>
internal sealed record SearchTuning(
    IReadOnlyList<float> FieldWeights,
    float TypoDiscount,
    float StemDiscount,
    float ShapeBoost,
    float UnknownWordShare,
    float ErrorClassWeight,
    float PairWeight,
    float AskedWordWeight,
    float AskedTextWeight,
    float AskedExponent,
    float CoverageExponent,
    float MinimumCoverage,
    float MinimumStrength,
    float MinimumLead,
    float MinimumMargin)
{
    public static SearchTuning Default { get; } = new(
        FieldWeights: [2.0f, 1.5f, 1.0f, 1.5f, 0.25f, 1.0f, 1.0f],
        TypoDiscount: 0.75f,
        StemDiscount: 0.5f,
        ShapeBoost: 3f,
        UnknownWordShare: 0.5f,
        ErrorClassWeight: 0.25f,
        PairWeight: 0.5f,
        AskedWordWeight: 8f,
        AskedTextWeight: 8f,
        AskedExponent: 1.5f,
        CoverageExponent: 1f,
        MinimumCoverage: 0f,
        MinimumStrength: 6.0f,
        MinimumLead: 1.2f,
        MinimumMargin: 3.0f);

    public bool IsConfident(float coverage, float score, float runnerUpScore, float queryWeight) =>
        coverage >= MinimumCoverage
        && score / queryWeight >= MinimumStrength
        && score >= MinimumLead * runnerUpScore
        && (score - runnerUpScore) / queryWeight >= MinimumMargin;
}
