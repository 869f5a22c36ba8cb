using Bot.Core;
using Bot.Core.Quiz;
using Cronos;
using Microsoft.Extensions.Options;

namespace Bot.Host.Daily;

/// <summary>The <c>DailyQuiz</c> section: when and where the daily question is posted.</summary>
public sealed class DailyQuizOptions
{
    public const string Section = "DailyQuiz";

    /// <summary>Five-field cron (minute hour day month weekday), read in <see cref="TimeZone"/>.</summary>
    public string Cron { get; set; } = "0 9 * * *";

    /// <summary>An IANA time zone such as Europe/Berlin; slots follow its daylight-saving changes.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How long after posting the answer and results are published.</summary>
    public TimeSpan RevealAfter { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A slot missed while the bot was down is still posted at start if it is at most this old.</summary>
    public TimeSpan CatchUpGrace { get; set; } = TimeSpan.FromHours(2);

    public List<DailyTargetOptions> Targets { get; set; } = [];
}

public sealed class DailyTargetOptions
{
    public Platform Platform { get; set; } = Platform.Terminal;

    /// <summary>Discord guild id or Slack workspace id; the terminal uses "local".</summary>
    public string Workspace { get; set; } = "local";

    public string Channel { get; set; } = "";

    /// <summary>Only questions from this course folder; all courses when empty.</summary>
    public string? Course { get; set; }

    /// <summary>Overrides <see cref="DailyQuizOptions.Cron"/> for this target.</summary>
    public string? Cron { get; set; }

    /// <summary>Overrides <see cref="DailyQuizOptions.TimeZone"/> for this target.</summary>
    public string? TimeZone { get; set; }

    public ChannelTarget ToTarget() => new(Platform, Workspace, Channel);
}

/// <summary>A target with its schedule parsed.</summary>
internal sealed record DailySchedule(ChannelTarget Target, string? Course, CronExpression Cron, TimeZoneInfo Zone)
{
    public IEnumerable<DateTimeOffset> SlotsBetween(DateTimeOffset fromExclusive, DateTimeOffset toInclusive) =>
        Cron.GetOccurrences(fromExclusive.UtcDateTime, toInclusive.UtcDateTime, Zone, fromInclusive: false, toInclusive: true)
            .Select(slot => new DateTimeOffset(slot, TimeSpan.Zero));

    public DateTimeOffset? NextSlotAfter(DateTimeOffset time) => Cron.GetNextOccurrence(time, Zone);

    public static IReadOnlyList<DailySchedule> From(DailyQuizOptions options) =>
        [.. options.Targets.Select(target => new DailySchedule(
            target.ToTarget(),
            string.IsNullOrWhiteSpace(target.Course) ? null : target.Course,
            CronExpression.Parse(target.Cron ?? options.Cron),
            TimeZoneInfo.FindSystemTimeZoneById(target.TimeZone ?? options.TimeZone)))];
}

/// <summary>Rejects a bad schedule, or a target on a platform that is not running, at start, naming the key and how to fix it.</summary>
/// <param name="publishes">Whether a platform has a daily-quiz publisher; asked only when a target names it, so that the
/// schedule is still checked when a platform's own configuration is what fails.</param>
internal sealed class DailyQuizOptionsValidator(Func<Platform, bool> publishes) : IValidateOptions<DailyQuizOptions>
{
    public ValidateOptionsResult Validate(string? name, DailyQuizOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckCron($"{DailyQuizOptions.Section}:Cron", options.Cron, failures);
        CheckZone($"{DailyQuizOptions.Section}:TimeZone", options.TimeZone, failures);
        if (options.RevealAfter <= TimeSpan.Zero)
        {
            failures.Add($"{DailyQuizOptions.Section}:RevealAfter must be positive, e.g. 08:00:00 for eight hours.");
        }

        if (options.CatchUpGrace < TimeSpan.Zero)
        {
            failures.Add($"{DailyQuizOptions.Section}:CatchUpGrace must not be negative, e.g. 02:00:00.");
        }

        for (var index = 0; index < options.Targets.Count; index++)
        {
            var target = options.Targets[index];
            var key = $"{DailyQuizOptions.Section}:Targets:{index}";
            if (string.IsNullOrWhiteSpace(target.Channel))
            {
                failures.Add($"{key}:Channel is empty: give the channel id to post to.");
            }

            if (!publishes(target.Platform))
            {
                failures.Add($"{key}:Platform is {target.Platform}, which is not configured: set its token (e.g. {target.Platform}__BotToken) or remove the target.");
            }

            if (target.Cron is not null)
            {
                CheckCron($"{key}:Cron", target.Cron, failures);
            }

            if (target.TimeZone is not null)
            {
                CheckZone($"{key}:TimeZone", target.TimeZone, failures);
            }
        }

        var duplicates = options.Targets.GroupBy(target => target.ToTarget().Key).Where(group => group.Count() > 1).Select(group => group.Key);
        failures.AddRange(duplicates.Select(key => $"{DailyQuizOptions.Section}:Targets lists {key} twice; give each channel once."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckCron(string key, string cron, List<string> failures)
    {
        try
        {
            CronExpression.Parse(cron);
        }
        catch (CronFormatException exception)
        {
            failures.Add($"{key} '{cron}' is not a cron expression ({exception.Message}); use five fields: minute hour day month weekday, e.g. 0 9 * * 1-5.");
        }
    }

    private static void CheckZone(string key, string zone, List<string> failures)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"{key} '{zone}' is not a known IANA time zone; use a name such as Europe/Berlin or America/New_York.");
        }
    }
}
