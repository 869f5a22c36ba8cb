using System.Security.Cryptography;
using System.Text;
using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Daily;

/// <summary>
/// Posts one question per target and slot, then reveals it. Every post is claimed in the database
/// before it is sent, so restarts, retries and several processes sharing the database post each slot
/// once. The latest slot missed while the bot was down is posted late if it is within the catch-up grace.
/// Failed sends are retried with exponential backoff until the reveal time, then given up loudly.
/// </summary>
internal sealed partial class DailyQuizScheduler(
    IOptions<DailyQuizOptions> options,
    IDailyPostStore posts,
    IQuizStore quizzes,
    IKnowledgeBaseSource knowledge,
    IEnumerable<IDailyQuizPublisher> publishers,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<DailyQuizScheduler> logger) : BackgroundService
{
    /// <summary>How long a claim is ours before another process may take the work over.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>The longest sleep; it bounds how soon an expired lease of a dead process is noticed.</summary>
    public static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    public const int MaxRevealAttempts = 8;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(15);

    private readonly IReadOnlyList<DailySchedule> _schedules = DailySchedule.From(options.Value);
    private readonly DailyQuizOptions _options = options.Value;

    /// <summary>
    /// Every slot up to here has been looked at. While the bot runs, a slot after it is due whatever
    /// the catch-up grace, which is for slots missed while the bot was down: the timer always wakes a
    /// little after a slot. A check longer ago than the scheduler ever sleeps means it was not running
    /// (a suspended machine), and then only the grace counts.
    /// </summary>
    private DateTimeOffset _checkedUntil = time.GetUtcNow();

    /// <summary>How late a tick may come and still count as the bot having run since the last one.</summary>
    private static readonly TimeSpan RunningGap = MaxSleep + TimeSpan.FromMinutes(1);

    /// <summary>Identifies this process in claims.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts - 1, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_schedules.Count == 0)
        {
            return;
        }

        await ReportMissedSlotsAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunDueWorkAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogTickFailed(exception);
            }

            await Task.Delay(await SleepAsync(stoppingToken), time, stoppingToken);
        }
    }

    /// <summary>Claims the slots that are due and sends or reveals every post that is due now.</summary>
    public async Task RunDueWorkAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var from = now - _checkedUntil <= RunningGap ? Min(_checkedUntil, now - _options.CatchUpGrace) : now - _options.CatchUpGrace;
        _checkedUntil = now;
        foreach (var schedule in _schedules)
        {
            // Only the latest slot: after downtime one late question is welcome, a burst of them is not.
            var latest = schedule.SlotsBetween(from - TimeSpan.FromTicks(1), now).LastOrDefault();
            if (latest != default)
            {
                await ClaimAsync(schedule, latest, now, cancellationToken);
            }
        }

        foreach (var post in await posts.DuePostsAsync(Owner, now, cancellationToken))
        {
            if (!await posts.TryTakeAsync(post, Owner, now, now + Lease, cancellationToken))
            {
                continue;
            }

            var schedule = _schedules.FirstOrDefault(candidate => candidate.Target.Key == post.Target);
            if (schedule is null)
            {
                continue;
            }

            if (post.State == DailyPostState.Claimed)
            {
                await SendAsync(schedule, post, now, cancellationToken);
            }
            else if (post.State == DailyPostState.Posted)
            {
                await RevealAsync(schedule, post, now, cancellationToken);
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset first, DateTimeOffset second) => first < second ? first : second;

    private async Task ClaimAsync(DailySchedule schedule, DateTimeOffset slot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await posts.HasSlotAsync(schedule.Target.Key, slot, cancellationToken))
        {
            return;
        }

        var question = await ChooseQuestionAsync(schedule, cancellationToken);
        if (question is null)
        {
            LogNoQuestions(schedule.Target.Key, schedule.Course ?? "any course");
            metrics.DailyPost(schedule.Target.Platform, "no_questions");
            return;
        }

        var claim = new DailyClaim(schedule.Target.Key, slot, question.Id, Owner, now, now + Lease, now + _options.RevealAfter);
        if (await posts.TryClaimSlotAsync(claim, cancellationToken))
        {
            LogClaimed(schedule.Target.Key, slot, question.Id);
        }
    }

    /// <summary>Questions this target has not had yet, in an order fixed per target; when all are used, a new round.</summary>
    private async Task<QuizQuestion?> ChooseQuestionAsync(DailySchedule schedule, CancellationToken cancellationToken)
    {
        var bank = knowledge.Current.Concepts
            .Where(concept => schedule.Course is null || string.Equals(concept.Course, schedule.Course, StringComparison.OrdinalIgnoreCase))
            .SelectMany(concept => concept.Questions)
            .ToList();
        if (bank.Count == 0)
        {
            return null;
        }

        var history = await posts.PostedQuestionIdsAsync(schedule.Target.Key, cancellationToken);
        var lastPosted = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < history.Count; index++)
        {
            lastPosted[history[index]] = index;
        }

        return bank
            .OrderBy(question => lastPosted.GetValueOrDefault(question.Id, -1))
            .ThenBy(question => StableOrder(schedule.Target.Key, question.Id), StringComparer.Ordinal)
            .First();
    }

    private async Task SendAsync(DailySchedule schedule, DailyPost post, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var (concept, question) = Find(post.QuestionId);
            var instance = post.InstanceId is { } id ? await quizzes.FindInstanceAsync(id, cancellationToken) : null;
            if (instance is null)
            {
                instance = await quizzes.CreateInstanceAsync(new NewQuizInstance(QuizInstanceKind.Daily, question, schedule.Target.Platform,
                    schedule.Target.Workspace, schedule.Target.Channel, Owner: null, Topic: null, now, post.RevealAt), cancellationToken);
                await posts.SetInstanceAsync(post, instance.Id, cancellationToken);
            }

            var reply = QuizReplies.Question(instance, question, concept, $"The answer is revealed at {QuizReplies.FormatTime(post.RevealAt)}.");
            var messageId = await Publisher(schedule).PostAsync(schedule.Target, post.Slot, reply, cancellationToken);
            await posts.AdvanceAsync(post, DailyPostState.Posted, messageId, now, cancellationToken);
            LogPosted(post.Target, post.Slot, messageId);
            metrics.DailyPost(schedule.Target.Platform, "posted");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A question posted after its own reveal time would be pointless.
            await FailedAsync(schedule, post, exception, now, giveUp: now + Backoff(post.Attempts + 1) >= post.RevealAt);
        }
    }

    private async Task RevealAsync(DailySchedule schedule, DailyPost post, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var (concept, question) = Find(post.QuestionId);
            var instance = await quizzes.FindInstanceAsync(post.InstanceId ?? 0, cancellationToken)
                ?? throw new DailyQuizConfigurationException($"the quiz instance of {post.Target} at {post.Slot:u} is missing from the database");
            var tally = await quizzes.GetTallyAsync(instance, cancellationToken);
            await Publisher(schedule).RevealAsync(schedule.Target, post.MessageId!, QuizReplies.Reveal(question, concept, tally), cancellationToken);
            await posts.AdvanceAsync(post, DailyPostState.Revealed, messageId: null, now, cancellationToken);
            LogRevealed(post.Target, post.Slot, tally.Answers, tally.Correct);
            metrics.DailyPost(schedule.Target.Platform, "revealed");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailedAsync(schedule, post, exception, now, giveUp: post.Attempts + 1 >= MaxRevealAttempts);
        }
    }

    /// <summary>Schedules the next attempt with backoff, or gives up; either way it is logged.</summary>
    private async Task FailedAsync(DailySchedule schedule, DailyPost post, Exception exception, DateTimeOffset now, bool giveUp)
    {
        var attempts = post.Attempts + 1;
        var next = now + Backoff(attempts);
        var abandon = giveUp || exception is DailyQuizConfigurationException or PermanentPublishException;
        await posts.RecordFailureAsync(post, attempts, next, exception.Message, abandon, CancellationToken.None);
        if (abandon)
        {
            LogGaveUp(exception, post.Target, post.Slot, attempts);
        }
        else
        {
            LogRetrying(exception, post.Target, post.Slot, attempts, next);
        }

        metrics.DailyPost(schedule.Target.Platform, abandon ? "given_up" : "retrying");
    }

    private (Concept Concept, QuizQuestion Question) Find(string questionId)
    {
        foreach (var concept in knowledge.Current.Concepts)
        {
            if (concept.Questions.FirstOrDefault(question => question.Id == questionId) is { } question)
            {
                return (concept, question);
            }
        }

        throw new DailyQuizConfigurationException($"question {questionId} is no longer in the course");
    }

    private IDailyQuizPublisher Publisher(DailySchedule schedule) =>
        publishers.FirstOrDefault(publisher => publisher.Platform == schedule.Target.Platform)
        ?? throw new DailyQuizConfigurationException($"no {schedule.Target.Platform} adapter is running to post to {schedule.Target.Key}");

    private async Task ReportMissedSlotsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var schedule in _schedules)
        {
            var cutoff = now - _options.CatchUpGrace;
            var missed = schedule.SlotsBetween(cutoff - TimeSpan.FromDays(1), cutoff - TimeSpan.FromTicks(1)).LastOrDefault();
            if (missed != default && !await posts.HasSlotAsync(schedule.Target.Key, missed, cancellationToken))
            {
                LogMissed(schedule.Target.Key, missed, _options.CatchUpGrace);
                metrics.DailyPost(schedule.Target.Platform, "missed");
            }
        }
    }

    private async Task<TimeSpan> SleepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wake = now + MaxSleep;
        foreach (var schedule in _schedules)
        {
            if (schedule.NextSlotAfter(now) is { } slot && slot < wake)
            {
                wake = slot;
            }
        }

        if (await posts.NextWorkAtAsync(cancellationToken) is { } work && work < wake)
        {
            wake = work;
        }

        return wake <= now ? TimeSpan.Zero : wake - now;
    }

    private static string StableOrder(string target, string questionId) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(target + "\n" + questionId)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily quiz: claimed {Target} slot {Slot:u} for question {QuestionId}")]
    private partial void LogClaimed(string target, DateTimeOffset slot, string questionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily quiz: posted {Target} slot {Slot:u} as message {MessageId}")]
    private partial void LogPosted(string target, DateTimeOffset slot, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily quiz: revealed {Target} slot {Slot:u}: {Correct} of {Answers} answers correct")]
    private partial void LogRevealed(string target, DateTimeOffset slot, int answers, int correct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily quiz: sending {Target} slot {Slot:u} failed (attempt {Attempts}); retrying at {NextAttempt:u}")]
    private partial void LogRetrying(Exception exception, string target, DateTimeOffset slot, int attempts, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Daily quiz: gave up on {Target} slot {Slot:u} after {Attempts} attempt(s)")]
    private partial void LogGaveUp(Exception exception, string target, DateTimeOffset slot, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily quiz: skipped {Target} slot {Slot:u}; the bot was down and the {Grace} catch-up grace has passed")]
    private partial void LogMissed(string target, DateTimeOffset slot, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily quiz: no questions for {Target} in {Course}; nothing posted")]
    private partial void LogNoQuestions(string target, string course);

    [LoggerMessage(Level = LogLevel.Error, Message = "Daily quiz: a scheduling pass failed; trying again shortly")]
    private partial void LogTickFailed(Exception exception);
}

/// <summary>A problem retrying cannot fix (a missing adapter or question); the post is given up at once.</summary>
internal sealed class DailyQuizConfigurationException(string message) : Exception(message);
