using Bot.RegexEngine;
using Microsoft.Extensions.Options;

namespace Bot.Core.RegexTest;

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

/// <summary>Rejects limits that would let a pattern block the bot, or refuse every pattern, naming the key.</summary>
internal sealed class RegexTestLimitsValidator : IValidateOptions<RegexTestLimits>
{
    public ValidateOptionsResult Validate(string? name, RegexTestLimits options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = RegexTestLimits.Section;
        if (options.MaxPatternLength is < 1 or > PythonRegex.MaxPatternLength)
        {
            failures.Add($"{section}:MaxPatternLength must be between 1 and {PythonRegex.MaxPatternLength}.");
        }

        if (options.MaxTextLength is < 1 or > PythonRegex.MaxTextLength)
        {
            failures.Add($"{section}:MaxTextLength must be between 1 and {PythonRegex.MaxTextLength}.");
        }

        if (options.MaxSteps is < 1_000 or > 100_000_000)
        {
            failures.Add($"{section}:MaxSteps must be between 1000 and 100000000 (the default, {MatchBudget.DefaultMaxSteps}, is about 25 ms of work).");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.Timeout > TimeSpan.FromSeconds(2))
        {
            failures.Add($"{section}:Timeout must be between 00:00:00.010 and 00:00:02; a longer one lets a hostile pattern hold a core.");
        }

        if (options.MaxConcurrent is < 1 or > 64)
        {
            failures.Add($"{section}:MaxConcurrent must be between 1 and 64.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
