namespace Bot.Core.Regex;

/// <summary>How much a user's pattern may cost; the host binds it from the <c>RegexTest</c> configuration section.</summary>
public sealed class RegexTestLimits
{
    public const string Section = "RegexTest";

    public int MaxPatternLength { get; set; } = PythonRegex.MaxPatternLength;

    public int MaxTextLength { get; set; } = PythonRegex.MaxTextLength;

    /// <summary>Matcher steps (entries and backtracks) before a match is cut off; about 25 ms of work on a 2020s core.</summary>
    public long MaxSteps { get; set; } = MatchBudget.DefaultMaxSteps;

    /// <summary>A wall-clock bound on top of the steps, for slow or busy machines.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Patterns run at once; the rest wait, so a burst of hostile patterns leaves a core for everything else.</summary>
    public int MaxConcurrent { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);
}
