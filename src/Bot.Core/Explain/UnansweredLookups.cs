using Bot.Core.Rendering;

namespace Bot.Core.Explain;

/// <summary>
/// Where <c>/explain</c> reports the lookups it could not answer with confidence, so that an instructor
/// can see which aliases or concepts are missing. Implementations must return at once: this is called
/// on the request path.
/// </summary>
public interface IUnansweredLookups
{
    /// <summary>Keeps <paramref name="lookup"/>, or drops it if the store cannot keep up; never throws for load.</summary>
    void Record(UnansweredLookup lookup);
}

/// <summary>
/// One <c>/explain</c> lookup that ended unsure or with nothing found. It names no user and no channel
/// on purpose: the report is about the course's words, not about who typed them.
/// </summary>
/// <param name="Query">What was asked, clipped to <see cref="MaxQueryLength"/> characters, control characters replaced by spaces.</param>
/// <param name="CandidateIds">The concepts suggested instead, best first; empty when nothing was found.</param>
/// <param name="At">When the lookup was answered.</param>
public sealed record UnansweredLookup(string Query, IReadOnlyList<string> CandidateIds, DateTimeOffset At)
{
    /// <summary>The longest query kept; longer ones are cut, so a pasted page cannot fill the log or the database.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>Whether the lookup offered suggestions or found nothing at all.</summary>
    public UnansweredOutcome Outcome => CandidateIds.Count == 0 ? UnansweredOutcome.NotFound : UnansweredOutcome.Unsure;

    /// <summary>
    /// <paramref name="query"/> made safe to keep and log: at most <see cref="MaxQueryLength"/> characters
    /// (never half a character, see <see cref="TextClip.Prefix"/>), control characters such as line breaks
    /// replaced by spaces, trimmed.
    /// </summary>
    public static string Clip(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var kept = TextClip.Prefix(query.Trim(), MaxQueryLength);
        return string.Create(kept.Length, kept, static (span, source) =>
        {
            for (var index = 0; index < span.Length; index++)
            {
                span[index] = char.IsControl(source[index]) ? ' ' : source[index];
            }
        }).TrimEnd();
    }
}

/// <summary>How a lookup missed.</summary>
public enum UnansweredOutcome
{
    /// <summary>No concept clearly led; suggestions were offered.</summary>
    Unsure,

    /// <summary>Nothing matched at all.</summary>
    NotFound,
}

/// <summary>The default when the host keeps no record: Core stays usable on its own.</summary>
internal sealed class NoUnansweredLookups : IUnansweredLookups
{
    public static readonly NoUnansweredLookups Instance = new();

    public void Record(UnansweredLookup lookup)
    {
    }
}
