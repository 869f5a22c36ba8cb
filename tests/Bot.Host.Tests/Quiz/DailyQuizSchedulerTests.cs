using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Bot.Host.Terminal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Host.Tests.Quiz;

public class DailyQuizSchedulerTests
{
    private static readonly ChannelTarget General = new(Platform.Terminal, "local", "general");

    [Fact]
    public async Task Slots_FollowEachTargetsTimeZoneAcrossDaylightSavingChanges()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-03-06T00:00:00Z"));
        var publisher = new RecordingPublisher(clock);
        var options = Options(
            new DailyTargetOptions { Channel = "new-york", TimeZone = "America/New_York" },
            new DailyTargetOptions { Channel = "berlin", TimeZone = "Europe/Berlin" });
        var scheduler = Scheduler(database.OpenDatabase(), options, clock, publisher);

        // New York moves to summer time on 8 March 2026, Berlin on 29 March; tick every 15 minutes.
        await RunUntilAsync(scheduler, clock, Utc("2026-03-10T00:00:00Z"), TimeSpan.FromMinutes(15));
        clock.SetUtcNow(Utc("2026-03-28T00:00:00Z"));
        await RunUntilAsync(scheduler, clock, Utc("2026-03-31T00:00:00Z"), TimeSpan.FromMinutes(15));

        Assert.Equal(
            [Utc("2026-03-06T14:00:00Z"), Utc("2026-03-07T14:00:00Z"), Utc("2026-03-08T13:00:00Z"), Utc("2026-03-09T13:00:00Z"),
             Utc("2026-03-28T13:00:00Z"), Utc("2026-03-29T13:00:00Z"), Utc("2026-03-30T13:00:00Z")],
            publisher.PostTimes("new-york"));
        Assert.Equal(
            [Utc("2026-03-06T08:00:00Z"), Utc("2026-03-07T08:00:00Z"), Utc("2026-03-08T08:00:00Z"), Utc("2026-03-09T08:00:00Z"),
             Utc("2026-03-28T08:00:00Z"), Utc("2026-03-29T07:00:00Z"), Utc("2026-03-30T07:00:00Z")],
            publisher.PostTimes("berlin"));
    }

    [Fact]
    public async Task Questions_DoNotRepeatForATargetUntilTheBankIsUsedUp()
    {
        await using var database = await TempDatabase.CreateAsync();
        var quizzes = database.OpenQuizStore();
        var clock = new FakeTimeProvider(Utc("2026-01-01T00:00:00Z"));
        var publisher = new RecordingPublisher(clock);
        var size = Course.KnowledgeBase.Concepts.Sum(concept => concept.QuestionCount);
        var scheduler = Scheduler(database.OpenDatabase(), Options(new DailyTargetOptions { Channel = "general", Cron = "0 * * * *" }), clock, publisher);

        await RunUntilAsync(scheduler, clock, Utc("2026-01-01T00:00:00Z").AddHours(size + 3), TimeSpan.FromMinutes(30));

        var asked = new List<string>();
        foreach (var post in publisher.Posts)
        {
            asked.Add((await quizzes.FindInstanceAsync(post.InstanceId, CancellationToken.None))!.QuestionId);
        }

        Assert.Equal(size + 4, asked.Count);
        Assert.Equal(size, asked.Take(size).Distinct().Count());
        Assert.Equal(asked.Take(4), asked.Skip(size));
    }

    [Fact]
    public async Task CatchUp_SlotMissedWhileDown_IsPostedAtStartWithinTheGraceOnly()
    {
        await using var database = await TempDatabase.CreateAsync();
        var options = Options(new DailyTargetOptions { Channel = "general" });
        options.CatchUpGrace = TimeSpan.FromHours(1);

        var late = new FakeTimeProvider(Utc("2026-05-04T09:40:00Z"));
        var withinGrace = new RecordingPublisher(late);
        await Scheduler(database.OpenDatabase(), options, late, withinGrace).RunDueWorkAsync(CancellationToken.None);

        var tooLate = new FakeTimeProvider(Utc("2026-05-05T10:30:00Z"));
        var afterGrace = new RecordingPublisher(tooLate);
        var logger = new ListLogger<DailyQuizScheduler>();
        var scheduler = Scheduler(database.OpenDatabase(), options, tooLate, afterGrace, logger: logger);
        await scheduler.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => logger.Entries.Any(entry => entry.Level == LogLevel.Warning
            && entry.Message.Contains("skipped terminal:local:general slot 2026-05-05 09:00:00Z", StringComparison.Ordinal)));
        await scheduler.StopAsync(CancellationToken.None);
        await scheduler.RunDueWorkAsync(CancellationToken.None);

        Assert.Equal([Utc("2026-05-04T09:40:00Z")], withinGrace.PostTimes("general"));
        Assert.Empty(afterGrace.Posts);
    }

    /// <summary>The grace is for downtime: while the bot runs, a slot posts on time even with no grace at all.</summary>
    [Fact]
    public async Task NoCatchUpGrace_SlotWhileRunning_IsPostedWhenTheTimerWakesJustAfterIt()
    {
        await using var database = await TempDatabase.CreateAsync();
        var options = Options(new DailyTargetOptions { Channel = "general" });
        options.CatchUpGrace = TimeSpan.Zero;
        var clock = new FakeTimeProvider(Utc("2026-05-04T08:59:50Z"));
        var publisher = new RecordingPublisher(clock);
        var scheduler = Scheduler(database.OpenDatabase(), options, clock, publisher);
        await scheduler.RunDueWorkAsync(CancellationToken.None);

        clock.SetUtcNow(Utc("2026-05-04T09:00:00.004Z"));
        await scheduler.RunDueWorkAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        await scheduler.RunDueWorkAsync(CancellationToken.None);

        Assert.Equal([Utc("2026-05-04T09:00:00.004Z")], publisher.PostTimes("general"));
    }

    [Fact]
    public async Task TwoSchedulersOnOneDatabase_PostEachSlotOnce()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-05-04T09:00:00Z"));
        var publisher = new RecordingPublisher(clock);
        var options = Options(new DailyTargetOptions { Channel = "general" });
        var first = Scheduler(database.OpenDatabase(), options, clock, publisher);
        var second = Scheduler(database.OpenDatabase(), options, clock, publisher);

        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(Task.Run(() => first.RunDueWorkAsync(CancellationToken.None)), Task.Run(() => second.RunDueWorkAsync(CancellationToken.None)));
        }

        var restarted = Scheduler(database.OpenDatabase(), options, clock, publisher);
        await restarted.RunDueWorkAsync(CancellationToken.None);

        Assert.Single(publisher.Posts);
    }

    [Fact]
    public async Task Claim_OfAProcessThatDied_IsTakenOverAfterItsLeaseAndPostedOnce()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-05-04T09:00:00Z"));
        var posts = database.OpenDailyPostStore();
        var question = Course.KnowledgeBase.Concepts[0].Questions[0];
        var slot = Utc("2026-05-04T09:00:00Z");
        Assert.True(await posts.TryClaimSlotAsync(new DailyClaim(General.Key, slot, question.Id, "dead-process", slot, slot + DailyQuizScheduler.Lease, slot.AddHours(8)), CancellationToken.None));
        var publisher = new RecordingPublisher(clock);
        var survivor = Scheduler(database.OpenDatabase(), Options(new DailyTargetOptions { Channel = "general" }), clock, publisher);

        await survivor.RunDueWorkAsync(CancellationToken.None);
        Assert.Empty(publisher.Posts);

        clock.Advance(DailyQuizScheduler.Lease + TimeSpan.FromSeconds(1));
        await survivor.RunDueWorkAsync(CancellationToken.None);
        await survivor.RunDueWorkAsync(CancellationToken.None);

        var post = Assert.Single(publisher.Posts);
        Assert.Equal(question.Id, (await database.OpenQuizStore().FindInstanceAsync(post.InstanceId, CancellationToken.None))!.QuestionId);
    }

    [Fact]
    public async Task FailedSend_IsRetriedWithBackoffAndPostedOnce()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-05-04T09:00:00Z"));
        var publisher = new RecordingPublisher(clock) { FailuresLeft = 2 };
        var logger = new ListLogger<DailyQuizScheduler>();
        var scheduler = Scheduler(database.OpenDatabase(), Options(new DailyTargetOptions { Channel = "general" }), clock, publisher, logger: logger);

        await RunUntilAsync(scheduler, clock, Utc("2026-05-04T09:10:00Z"), TimeSpan.FromSeconds(10));

        Assert.Equal([Utc("2026-05-04T09:01:30Z")], publisher.PostTimes("general"));
        Assert.Equal([Utc("2026-05-04T09:00:00Z"), Utc("2026-05-04T09:00:30Z"), Utc("2026-05-04T09:01:30Z")], publisher.Attempts);
        Assert.Equal(2, logger.Entries.Count(entry => entry.Level == LogLevel.Warning && entry.Message.Contains("failed (attempt", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SendThatNeverSucceeds_IsGivenUpAtRevealTimeWithAnError()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-05-04T09:00:00Z"));
        var publisher = new RecordingPublisher(clock) { FailuresLeft = int.MaxValue };
        var logger = new ListLogger<DailyQuizScheduler>();
        var options = Options(new DailyTargetOptions { Channel = "general" });
        options.RevealAfter = TimeSpan.FromHours(1);
        var scheduler = Scheduler(database.OpenDatabase(), options, clock, publisher, logger: logger);

        await RunUntilAsync(scheduler, clock, Utc("2026-05-04T12:00:00Z"), TimeSpan.FromSeconds(30));

        Assert.InRange(publisher.Attempts.Count, 5, 10);
        Assert.Single(logger.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains("gave up", StringComparison.Ordinal));
        Assert.Equal(DailyPostState.Abandoned, Assert.Single(await database.OpenDailyPostStore().PostsAsync(General.Key, CancellationToken.None)).State);
    }

    [Fact]
    public async Task Reveal_PublishesAnswerExplanationAndResultsOnTheOriginalPost()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-05-04T09:00:00Z"));
        var publisher = new RecordingPublisher(clock);
        var quizzes = database.OpenQuizStore();
        var options = Options(new DailyTargetOptions { Channel = "general" });
        options.RevealAfter = TimeSpan.FromHours(4);
        var scheduler = Scheduler(database.OpenDatabase(), options, clock, publisher);
        await scheduler.RunDueWorkAsync(CancellationToken.None);
        var post = Assert.Single(publisher.Posts);

        var handler = new QuizHandler(Course.Source, quizzes, clock);
        var instanceId = post.InstanceId;
        var questionId = (await quizzes.FindInstanceAsync(instanceId, CancellationToken.None))!.QuestionId;
        var question = Course.KnowledgeBase.Concepts.SelectMany(concept => concept.Questions).Single(candidate => candidate.Id == questionId);
        var wrong = (question.CorrectIndex + 1) % question.Choices.Count;
        var (aliceReply, aliceOutcome) = await handler.AnswerAsync(new QuizAnswerRequest(instanceId, question.CorrectIndex), Caller("alice"), CancellationToken.None);
        await handler.AnswerAsync(new QuizAnswerRequest(instanceId, wrong), Caller("bob"), CancellationToken.None);
        await handler.AnswerAsync(new QuizAnswerRequest(instanceId, wrong), Caller("alice"), CancellationToken.None);

        clock.Advance(TimeSpan.FromHours(4) - TimeSpan.FromMinutes(1));
        await scheduler.RunDueWorkAsync(CancellationToken.None);
        Assert.Empty(publisher.Reveals);
        clock.Advance(TimeSpan.FromMinutes(1));
        await scheduler.RunDueWorkAsync(CancellationToken.None);
        await scheduler.RunDueWorkAsync(CancellationToken.None);

        var reveal = Assert.Single(publisher.Reveals);
        Assert.Equal(post.MessageId, reveal.MessageId);
        Assert.Contains(question.Explanation, reveal.Reply.Body, StringComparison.Ordinal);
        Assert.Contains("**Results:** 2 answers, 50% correct", reveal.Reply.Body, StringComparison.Ordinal);
        Assert.Equal(("Answer recorded", ReplyVisibility.OnlyCaller), (aliceReply.Title, aliceReply.Visibility));
        Assert.Null(((QuizAnswered)aliceOutcome!).Correct);
        var (late, _) = await handler.AnswerAsync(new QuizAnswerRequest(instanceId, 0), Caller("carol"), CancellationToken.None);
        Assert.Equal("Answers are closed", late.Title);
    }

    [Fact]
    public async Task BackgroundLoop_WakesAtTheSlotOnTheInjectedClock()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Utc("2026-05-04T08:59:00Z"));
        var sleeps = new SleepCountingClock(clock);
        var publisher = new RecordingPublisher(clock);
        var scheduler = Scheduler(database.OpenDatabase(), Options(new DailyTargetOptions { Channel = "general" }), sleeps, publisher);

        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            // Only move time once the loop sleeps on the clock; a jump while it is busy is nothing a real clock does.
            await WaitUntilAsync(() => sleeps.Count > 0);
            clock.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => !publisher.Posts.IsEmpty);
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }

        Assert.Equal([Utc("2026-05-04T09:00:00Z")], publisher.PostTimes("general"));
    }

    [Theory]
    [InlineData("Cron", "every day", "DailyQuiz:Cron 'every day' is not a cron expression")]
    [InlineData("TimeZone", "Mars/Olympus", "DailyQuiz:TimeZone 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("Channel", "", "DailyQuiz:Targets:0:Channel is empty")]
    [InlineData("Platform", "Discord", "DailyQuiz:Targets:0:Platform is Discord, which is not configured: set its token (e.g. Discord__BotToken)")]
    public void Options_Invalid_AreRejectedWithTheKey(string key, string value, string message)
    {
        var options = Options(new DailyTargetOptions
        {
            Channel = key == "Channel" ? value : "general",
            Platform = key == "Platform" ? Enum.Parse<Platform>(value) : Platform.Terminal,
        });
        if (key == "Cron")
        {
            options.Cron = value;
        }
        else if (key == "TimeZone")
        {
            options.TimeZone = value;
        }

        var result = new DailyQuizOptionsValidator(platform => platform == Platform.Terminal).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    private static async Task RunUntilAsync(DailyQuizScheduler scheduler, FakeTimeProvider clock, DateTimeOffset end, TimeSpan step)
    {
        while (clock.GetUtcNow() <= end)
        {
            await scheduler.RunDueWorkAsync(CancellationToken.None);
            clock.Advance(step);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "timed out waiting for the scheduler");
            await Task.Delay(10);
        }
    }

    private static DailyQuizOptions Options(params DailyTargetOptions[] targets) => new()
    {
        Cron = "0 9 * * *",
        TimeZone = "UTC",
        RevealAfter = TimeSpan.FromHours(8),
        CatchUpGrace = TimeSpan.FromHours(2),
        Targets = [.. targets],
    };

    private static DailyQuizScheduler Scheduler(SqliteDatabase database, DailyQuizOptions options, TimeProvider clock, IDailyQuizPublisher publisher,
        ListLogger<DailyQuizScheduler>? logger = null) =>
        new(Microsoft.Extensions.Options.Options.Create(options), new SqliteDailyPostStore(database), new SqliteQuizStore(database), Course.Source, [publisher], clock, Metrics, logger ?? new ListLogger<DailyQuizScheduler>());

    private static readonly BotMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private static Caller Caller(string user) => new(Platform.Terminal, "local", "general", user);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The fake clock, counting the timers the scheduler starts: each one is the loop going to sleep.</summary>
    private sealed class SleepCountingClock(FakeTimeProvider clock) : TimeProvider
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override long GetTimestamp() => clock.GetTimestamp();

        public override long TimestampFrequency => clock.TimestampFrequency;

        public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = clock.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _count);
            return timer;
        }
    }

    private sealed record Posted(string Channel, DateTimeOffset At, string MessageId, long InstanceId, Reply Reply);

    private sealed record Revealed(string MessageId, DateTimeOffset At, Reply Reply);

    /// <summary>Plays the platform: records what was posted and when, and can fail on demand.</summary>
    private sealed class RecordingPublisher(TimeProvider clock) : IDailyQuizPublisher
    {
        private int _next;

        public ConcurrentQueue<Posted> Posts { get; } = new();

        public ConcurrentQueue<Revealed> Reveals { get; } = new();

        public List<DateTimeOffset> Attempts { get; } = [];

        public int FailuresLeft { get; set; }

        public Platform Platform => Platform.Terminal;

        public IReadOnlyList<DateTimeOffset> PostTimes(string channel) => [.. Posts.Where(post => post.Channel == channel).Select(post => post.At)];

        public Task<string> PostAsync(ChannelTarget target, DateTimeOffset slot, Reply question, CancellationToken cancellationToken)
        {
            lock (Attempts)
            {
                Attempts.Add(clock.GetUtcNow());
                if (FailuresLeft > 0)
                {
                    FailuresLeft--;
                    throw new HttpRequestException("503 Service Unavailable");
                }
            }

            var id = $"m{Interlocked.Increment(ref _next)}";
            var answer = (QuizAnswerRequest)ReplyActions.Parse(question.Actions[0].Id)!;
            Posts.Enqueue(new Posted(target.Channel, clock.GetUtcNow(), id, answer.InstanceId, question));
            return Task.FromResult(id);
        }

        public Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken)
        {
            Reveals.Enqueue(new Revealed(messageId, clock.GetUtcNow(), reveal));
            return Task.CompletedTask;
        }
    }
}
