namespace Bot.Core.Search;

/// <summary>
/// The numbers that weigh evidence and decide when a scored lookup may show a concept instead of
/// suggestions. Showing a wrong lesson with confidence is the worst outcome, so all three must hold:
/// the concept matched most of what the query says (coverage), the match is strong (a name or the
/// summary, not one word deep in an example), and it clearly leads the runner-up. The defaults were
/// set on the labelled learner queries in the tests (<c>SearchCalibrationTests</c>), not by feel.
/// </summary>
/// <param name="FieldWeights">Per <see cref="ConceptField"/>, in its order.</param>
/// <param name="TypoDiscount">A corrected misspelling counts for this share of the word it was corrected to, so a typo never outweighs an exact match of a rarer term.</param>
/// <param name="StemDiscount">A word's stem counts for this share when the form the learner typed is found too.</param>
/// <param name="ShapeBoost">How much more a syntax shape or a dunder name in the query counts than a word: the syntax is what a code query asks about, its other names are the learner's own.</param>
/// <param name="UnknownWordShare">How much a word the course doesn't have counts against coverage, against a word found in one concept.</param>
/// <param name="ErrorClassWeight">How much the class of a pasted error (<c>TypeError</c>) counts, against a word, when a message follows it.</param>
/// <param name="PairWeight">How much two neighbouring query words found together in a name, summary or keyword count, against one word.</param>
/// <param name="AskedWordWeight">What a query with the same words as one of a concept's asked questions adds, in units of the query's rarity (a name match adds about 3).</param>
/// <param name="AskedTextWeight">What a query typed exactly as one of a concept's asked questions adds, in the same units.</param>
/// <param name="CoverageExponent">How much matching more of the query's words raises a concept's score (0: not at all).</param>
/// <param name="MinimumCoverage">The share of the query's rarity-weighted terms the best concept must match.</param>
/// <param name="MinimumStrength">The best concept's score per unit of the query's rarity: about 1 for a word in the prose, 3 for a name.</param>
/// <param name="MinimumLead">How many times the runner-up's score the best concept must reach.</param>
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
    float CoverageExponent,
    float MinimumCoverage,
    float MinimumStrength,
    float MinimumLead)
{
    public static SearchTuning Default { get; } = new(
        FieldWeights: [3.0f, 1.5f, 1.0f, 1.5f, 0.25f, 1.0f, 0.5f],
        TypoDiscount: 0.75f,
        StemDiscount: 0.5f,
        ShapeBoost: 3f,
        UnknownWordShare: 0.5f,
        ErrorClassWeight: 0.25f,
        PairWeight: 0.5f,
        AskedWordWeight: 2f,
        AskedTextWeight: 2f,
        CoverageExponent: 1f,
        MinimumCoverage: 0.3f,
        MinimumStrength: 3.0f,
        MinimumLead: 1.15f);

    public bool IsConfident(float coverage, float strength, float score, float runnerUpScore) =>
        coverage >= MinimumCoverage && strength >= MinimumStrength && score >= MinimumLead * runnerUpScore;
}
