namespace Bot.Core;

public enum DoctorVerdict
{
    Passed,
    Failed,

    /// <summary>Not checked: not configured, or an earlier failure makes the answer meaningless.</summary>
    Skipped,
}

/// <summary>
/// One finding of <c>bot doctor</c>: what was checked, what was found, and for a failure what to do about it
/// (naming the configuration key as an environment variable, e.g. <c>Discord__BotToken</c>). Never holds a secret.
/// </summary>
public sealed record DoctorCheck(string Name, DoctorVerdict Verdict, string Detail, string? Fix = null)
{
    public static DoctorCheck Pass(string name, string detail) => new(name, DoctorVerdict.Passed, detail);

    public static DoctorCheck Fail(string name, string detail, string? fix) => new(name, DoctorVerdict.Failed, detail, fix);

    public static DoctorCheck Skip(string name, string detail) => new(name, DoctorVerdict.Skipped, detail);

    /// <summary>
    /// Asks a platform, returning its answer, or why there is none when <paramref name="expected"/> says the failure is
    /// one talking to the platform can meet (a refusal, no network, a timeout, a malformed answer).
    /// </summary>
    public static async Task<(T? Answer, Exception? Refused)> AskAsync<T>(Func<Task<T>> ask, Func<Exception, bool> expected, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(ask);
        ArgumentNullException.ThrowIfNull(expected);
        try
        {
            return (await ask().ConfigureAwait(false), null);
        }
        catch (Exception exception) when (expected(exception) || exception is HttpRequestException or InvalidDataException or System.Text.Json.JsonException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, exception);
        }
    }
}

/// <summary>A platform adapter's part of <c>bot doctor</c>: its credentials, its daily-quiz channels and its clock.</summary>
public interface IPlatformDoctor
{
    Task<IReadOnlyList<DoctorCheck>> CheckAsync(IReadOnlyList<DoctorTarget> dailyTargets, CancellationToken cancellationToken);
}

/// <summary>A daily-quiz channel for a platform's doctor to check; <paramref name="Key"/> is its configuration prefix, e.g. <c>DailyQuiz__Targets__0</c>.</summary>
public sealed record DoctorTarget(string Key, string Workspace, string Channel);
