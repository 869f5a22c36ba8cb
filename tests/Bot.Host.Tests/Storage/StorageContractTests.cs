using System.Diagnostics;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Bot.Host.Tests.Quiz;

namespace Bot.Host.Tests.Storage;

/// <summary>
/// What every storage provider must do, run against each: the first answer counts however many clicks race (from
/// several processes too), SM-2 schedules, streaks and leaderboards read back exactly, a daily slot is claimed once
/// and its lease taken by one, the lookups report groups the same, and an old schema is upgraded in place.
/// </summary>
public abstract class StorageContractTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    internal static readonly Learner Alice = new(Platform.Terminal, "local", "alice");

    private static readonly QuizQuestion Question = new("c:0123456789", "c", "Q?", "", ["a", "b", "c"], 1, "Why.", QuizDifficulty.Easy, 1, null);
    private static readonly QuizQuestion OtherConceptsQuestion = new("d:0123456789", "d", "Q2?", "", ["a", "b", "c", "d"], 3, "Why.", QuizDifficulty.Easy, 1, null);

    internal static NewQuizInstance Practice() =>
        new(QuizInstanceKind.Practice, Question, Platform.Terminal, "local", "terminal", "alice", null, Now, null);

    /// <summary>A fresh database at <paramref name="version"/> (default: the latest; 0: nothing yet).</summary>
    private protected abstract Task<ITestStorage> CreateAsync(int? version = null);

    /// <summary>How this provider declares a column of <paramref name="type"/>.</summary>
    private protected abstract string DeclaredType(ColumnType type);

    [Fact]
    public async Task RecordAnswer_ManyConcurrentClicksBySameLearner_OnlyTheFirstCounts()
    {
        await using var storage = await CreateAsync();
        var instance = await storage.OpenQuizStore().CreateInstanceAsync(Practice(), CancellationToken.None);

        // Separate store objects, like separate processes, racing on one database.
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(index =>
            Task.Run(() => storage.OpenQuizStore().RecordAnswerAsync(instance, Alice, "Alice", index % 3, Now.AddMilliseconds(index), CancellationToken.None))));

        var recorded = Assert.Single(answers, answer => answer.IsNew);
        Assert.All(answers, answer => Assert.Equal(recorded.Choice, answer.Choice));
        var history = await storage.OpenQuizStore().GetHistoryAsync(Alice, CancellationToken.None);
        Assert.Equal(1, history.Answered);
        Assert.Single(history.Cards);
    }

    /// <summary>Real processes, each clicking several times at once, all let go at the same moment.</summary>
    [Fact]
    public async Task RecordAnswer_ClicksFromSeveralProcesses_OnlyTheFirstCounts()
    {
        const int processes = 4;
        const int clicksEach = 6;
        await using var storage = await CreateAsync();
        var instance = await storage.OpenQuizStore().CreateInstanceAsync(Practice(), CancellationToken.None);
        var go = Path.Combine(Path.GetTempPath(), $"bot-go-{Guid.NewGuid():N}");

        var clients = Enumerable.Range(0, processes).Select(_ => StartStoreClient(storage, instance.Id, Alice.User, clicksEach, go)).ToList();
        try
        {
            foreach (var client in clients)
            {
                Assert.Equal("ready", await client.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            }

            await File.WriteAllTextAsync(go, "");
            var results = new List<(bool IsNew, int Choice)>();
            foreach (var client in clients)
            {
                var output = await client.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
                await client.WaitForExitAsync();
                Assert.True(client.ExitCode == 0, await client.StandardError.ReadToEndAsync());
                results.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)
                    .Select(answer => (answer.GetProperty("isNew").GetBoolean(), answer.GetProperty("choice").GetInt32())));
            }

            Assert.Equal(processes * clicksEach, results.Count);
            var counted = Assert.Single(results, result => result.IsNew);
            Assert.All(results, result => Assert.Equal(counted.Choice, result.Choice));
            var tally = await storage.OpenQuizStore().GetTallyAsync(instance, CancellationToken.None);
            Assert.Equal(1, tally.Answers);
            Assert.Equal(1, tally.PerChoice[counted.Choice]);
        }
        finally
        {
            File.Delete(go);
            foreach (var client in clients)
            {
                if (!client.HasExited)
                {
                    client.Kill();
                }

                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task RecordAnswer_ConcurrentLearners_AreAllCountedInTheTally()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenQuizStore();
        var instance = await store.CreateInstanceAsync(Practice(), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(index => Task.Run(() =>
            storage.OpenQuizStore().RecordAnswerAsync(instance, Alice with { User = $"user{index}" }, $"User {index}", index % 3, Now, CancellationToken.None))));

        var tally = await store.GetTallyAsync(instance, CancellationToken.None);
        Assert.Equal(30, tally.Answers);
        Assert.Equal(10, tally.Correct);
        Assert.Equal([10, 10, 10], tally.PerChoice);
    }

    /// <summary>Two showings of one question answered at the same moment: both move the card, neither overwrites the other.</summary>
    [Fact]
    public async Task RecordAnswer_OneLearnersAnswersToOneQuestionAtOnce_EachMovesTheReviewCard()
    {
        const int showings = 12;
        await using var storage = await CreateAsync();
        var store = storage.OpenQuizStore();
        var instances = new List<QuizInstance>();
        for (var index = 0; index < showings; index++)
        {
            instances.Add(await store.CreateInstanceAsync(Practice(), CancellationToken.None));
        }

        await Task.WhenAll(instances.Select(instance => Task.Run(() =>
            storage.OpenQuizStore().RecordAnswerAsync(instance, Alice, "Alice", Question.CorrectIndex, Now, CancellationToken.None))));

        var card = Assert.Single(await store.GetReviewCardsAsync(Alice, CancellationToken.None));
        Assert.Equal(showings, card.Repetitions);
    }

    [Fact]
    public async Task RecordAnswer_RightAnswersThenAWrongOne_KeepTheSm2ScheduleExactly()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenQuizStore();
        ReviewCard? expected = null;
        foreach (var (day, correct) in new[] { (0, true), (1, true), (7, true), (30, false), (31, true) })
        {
            var at = Now.AddDays(day).AddMilliseconds(day * 7 + 3);
            var instance = await store.CreateInstanceAsync(Practice() with { CreatedAt = at }, CancellationToken.None);
            await store.RecordAnswerAsync(instance, Alice, "Alice", correct ? Question.CorrectIndex : 0, at, CancellationToken.None);
            expected = SpacedRepetition.Next(expected, Question.Id, Question.ConceptId, correct, at);

            Assert.Equal(expected, Assert.Single(await storage.OpenQuizStore().GetReviewCardsAsync(Alice, CancellationToken.None)));
        }

        Assert.Equal((1, 1), (expected!.Repetitions, expected.Lapses));
        Assert.NotEqual(SpacedRepetition.StartingEase, expected.Ease);
    }

    [Fact]
    public async Task History_AnswersOnSeveralUtcDays_GiveTheDaysNewestFirstTheStreakAndScoresPerConcept()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenQuizStore();
        async Task AnswerAsync(QuizQuestion question, int choice, DateTimeOffset at)
        {
            var instance = await store.CreateInstanceAsync(Practice() with { Question = question }, CancellationToken.None);
            await store.RecordAnswerAsync(instance, Alice, "Alice", choice, at, CancellationToken.None);
        }

        await AnswerAsync(Question, Question.CorrectIndex, Now);
        await AnswerAsync(Question, 0, new DateTimeOffset(2026, 11, 22, 23, 59, 59, 999, TimeSpan.Zero));
        await AnswerAsync(OtherConceptsQuestion, OtherConceptsQuestion.CorrectIndex, new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        // 02:00 on the 21st at +05:00 is the 20th in UTC, which is the day that counts.
        await AnswerAsync(OtherConceptsQuestion, 0, new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.FromHours(5)));

        var history = await storage.OpenQuizStore().GetHistoryAsync(Alice, CancellationToken.None);

        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 20)], history.AnswerDays);
        Assert.Equal(2, StatsHandler.StreakDays(history.AnswerDays, new DateOnly(2026, 11, 23)));
        Assert.Equal((4, 2), (history.Answered, history.Correct));
        Assert.Equal([new ConceptScore("c", 2, 1), new ConceptScore("d", 2, 1)], history.Concepts.OrderBy(score => score.ConceptId, StringComparer.Ordinal));
        Assert.Equal(2, history.Cards.Count);
    }

    [Fact]
    public async Task Leaderboard_RanksByCorrectAnswersWithinTheWorkspaceAndPeriod()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenQuizStore();
        async Task AnswerAsync(string user, int choice, DateTimeOffset at, string workspace = "local")
        {
            var instance = await store.CreateInstanceAsync(Practice() with { Workspace = workspace }, CancellationToken.None);
            await store.RecordAnswerAsync(instance, new Learner(Platform.Terminal, workspace, user), user.ToUpperInvariant(), choice, at, CancellationToken.None);
        }

        await AnswerAsync("ann", 1, Now.AddDays(-10));
        await AnswerAsync("ann", 1, Now.AddDays(-10));
        await AnswerAsync("bob", 1, Now);
        await AnswerAsync("bob", 0, Now);
        await AnswerAsync("cat", 1, Now, workspace: "elsewhere");

        var week = await store.GetLeaderboardAsync(Platform.Terminal, "local", Now.AddDays(-1), 10, CancellationToken.None);
        var allTime = await store.GetLeaderboardAsync(Platform.Terminal, "local", null, 10, CancellationToken.None);

        Assert.Equal([new LeaderboardEntry("BOB", 2, 1)], week);
        Assert.Equal([new LeaderboardEntry("ANN", 2, 2), new LeaderboardEntry("BOB", 2, 1)], allTime);
        Assert.Equal([new LeaderboardEntry("ANN", 2, 2)], await store.GetLeaderboardAsync(Platform.Terminal, "local", null, 1, CancellationToken.None));
    }

    [Fact]
    public async Task FindInstance_AfterCreate_ReadsBackEveryFieldAndIdsGrow()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenQuizStore();
        var daily = new NewQuizInstance(QuizInstanceKind.Daily, OtherConceptsQuestion, Platform.Slack, "T1", "C1", null, "topic", Now, Now.AddHours(8));

        var first = await store.CreateInstanceAsync(Practice(), CancellationToken.None);
        var second = await store.CreateInstanceAsync(daily, CancellationToken.None);

        Assert.Equal(first, await storage.OpenQuizStore().FindInstanceAsync(first.Id, CancellationToken.None));
        Assert.Equal(second, await storage.OpenQuizStore().FindInstanceAsync(second.Id, CancellationToken.None));
        Assert.True(second.Id > first.Id);
        Assert.Null(await store.FindInstanceAsync(second.Id + 1000, CancellationToken.None));
    }

    [Fact]
    public async Task TryClaimSlot_ManyCallersAtOnce_ExactlyOneWins()
    {
        await using var storage = await CreateAsync();
        var slot = Now;

        var claims = await Task.WhenAll(Enumerable.Range(0, 16).Select(index => Task.Run(async () =>
            (Owner: $"replica-{index}", Won: await storage.OpenDailyPostStore().TryClaimSlotAsync(
                new DailyClaim("terminal:local:general", slot, "c:0123456789", $"replica-{index}", Now, Now.AddMinutes(5), Now.AddHours(8)), CancellationToken.None)))));

        var winner = Assert.Single(claims, claim => claim.Won);
        var post = Assert.Single(await storage.OpenDailyPostStore().PostsAsync("terminal:local:general", CancellationToken.None));
        Assert.Equal((winner.Owner, DailyPostState.Claimed, slot), (post.Owner, post.State, post.Slot));
        Assert.True(await storage.OpenDailyPostStore().HasSlotAsync("terminal:local:general", slot, CancellationToken.None));
        Assert.False(await storage.OpenDailyPostStore().HasSlotAsync("terminal:local:general", slot.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task TryTake_LeaseOfAnotherOwner_IsRefusedUntilItRunsOut_ThenOneOfManyRacersTakesIt()
    {
        await using var storage = await CreateAsync();
        var posts = storage.OpenDailyPostStore();
        Assert.True(await posts.TryClaimSlotAsync(new DailyClaim("t", Now, "q", "first", Now, Now.AddMinutes(5), Now.AddHours(8)), CancellationToken.None));
        var claimed = Assert.Single(await posts.PostsAsync("t", CancellationToken.None));

        Assert.False(await posts.TryTakeAsync(claimed, "second", Now.AddMinutes(1), Now.AddMinutes(6), CancellationToken.None));
        Assert.Empty(await posts.DuePostsAsync("second", Now.AddMinutes(1), CancellationToken.None));
        Assert.Single(await posts.DuePostsAsync("first", Now.AddMinutes(1), CancellationToken.None));
        Assert.True(await posts.TryTakeAsync(claimed, "first", Now.AddMinutes(1), Now.AddMinutes(6), CancellationToken.None));
        Assert.Empty(await posts.DuePostsAsync("second", Now.AddMinutes(5).AddSeconds(30), CancellationToken.None));

        var later = Now.AddMinutes(7);
        Assert.Single(await posts.DuePostsAsync("second", later, CancellationToken.None));
        var takers = await Task.WhenAll(Enumerable.Range(0, 10).Select(index => Task.Run(async () =>
            (Owner: $"racer-{index}", Took: await storage.OpenDailyPostStore().TryTakeAsync(claimed, $"racer-{index}", later, later.AddMinutes(5), CancellationToken.None)))));

        var taker = Assert.Single(takers, take => take.Took);
        var post = Assert.Single(await posts.PostsAsync("t", CancellationToken.None));
        Assert.Equal((taker.Owner, later.AddMinutes(5)), (post.Owner, post.LeaseUntil));
    }

    [Fact]
    public async Task DailyPost_ProgressAndFailures_AreKeptAndDecideTheNextWork()
    {
        await using var storage = await CreateAsync();
        var posts = storage.OpenDailyPostStore();
        Assert.Null(await posts.NextWorkAtAsync(CancellationToken.None));
        var reveal = Now.AddHours(8);
        Assert.True(await posts.TryClaimSlotAsync(new DailyClaim("t", Now, "q1", "me", Now, Now.AddMinutes(5), reveal), CancellationToken.None));
        Assert.True(await posts.TryClaimSlotAsync(new DailyClaim("t", Now.AddDays(1), "q2", "me", Now.AddDays(1), Now.AddDays(1).AddMinutes(5), reveal.AddDays(1)), CancellationToken.None));
        Assert.Equal(Now, await posts.NextWorkAtAsync(CancellationToken.None));
        var post = (await posts.PostsAsync("t", CancellationToken.None))[0];
        var instance = await storage.OpenQuizStore().CreateInstanceAsync(Practice() with { Kind = QuizInstanceKind.Daily, RevealAt = reveal }, CancellationToken.None);

        await posts.RecordFailureAsync(post, 1, Now.AddSeconds(30), "the platform said 503", abandon: false, CancellationToken.None);
        Assert.Equal(Now.AddSeconds(30), await posts.NextWorkAtAsync(CancellationToken.None));
        await posts.SetInstanceAsync(post, instance.Id, CancellationToken.None);
        await posts.AdvanceAsync(post, DailyPostState.Posted, "message-1", Now.AddMinutes(1), CancellationToken.None);
        await posts.AdvanceAsync(post, DailyPostState.Posted, messageId: null, Now.AddMinutes(2), CancellationToken.None);

        var posted = (await storage.OpenDailyPostStore().PostsAsync("t", CancellationToken.None))[0];
        Assert.Equal(new DailyPost("t", Now, "q1", instance.Id, DailyPostState.Posted, "me", Now.AddMinutes(5), 0, Now.AddMinutes(2), "message-1", reveal), posted);
        Assert.Equal(reveal, await posts.NextWorkAtAsync(CancellationToken.None));
        Assert.Empty(await posts.DuePostsAsync("me", reveal.AddSeconds(-1), CancellationToken.None));
        Assert.Equal([posted], await posts.DuePostsAsync("me", reveal, CancellationToken.None));

        await posts.RecordFailureAsync(posted, 7, reveal.AddHours(1), "gone", abandon: true, CancellationToken.None);
        var second = (await posts.PostsAsync("t", CancellationToken.None))[1];
        await posts.AdvanceAsync(second, DailyPostState.Revealed, "message-2", Now.AddDays(1), CancellationToken.None);

        Assert.Equal([DailyPostState.Abandoned, DailyPostState.Revealed], (await posts.PostsAsync("t", CancellationToken.None)).Select(each => each.State));
        Assert.Equal(7, (await posts.PostsAsync("t", CancellationToken.None))[0].Attempts);
        Assert.Null(await posts.NextWorkAtAsync(CancellationToken.None));
        Assert.Equal(["q1", "q2"], await posts.PostedQuestionIdsAsync("t", CancellationToken.None));
        Assert.Empty(await posts.PostedQuestionIdsAsync("elsewhere", CancellationToken.None));
    }

    [Fact]
    public async Task Report_SeveralWordings_GroupsByKeyMostFrequentThenMostRecentFirst()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenLookupStore();
        await store.AddAsync(
        [
            new UnansweredLookup("key error", ["exceptions"], Now.AddDays(-3)),
            new UnansweredLookup("Key   Error", ["dicts", "exceptions"], Now.AddDays(-1)),
            new UnansweredLookup("KEY ERROR", ["exceptions", "dicts"], Now.AddDays(-2)),
            new UnansweredLookup("qwzxv blorf", [], Now.AddHours(-1)),
            new UnansweredLookup("lambda", ["closures"], Now.AddDays(-5)),
            new UnansweredLookup("lambda", ["closures"], Now.AddDays(-4)),
            new UnansweredLookup("walrus", ["assignment"], Now.AddDays(-6)),
            new UnansweredLookup("outside the window", [], Now.AddDays(-31)),
        ], CancellationToken.None);

        var report = await store.ReportAsync(Now.AddDays(-30), limit: 3, CancellationToken.None);

        Assert.Equal(7, report.Lookups);
        Assert.Equal(4, report.Queries);
        Assert.Equal(["Key   Error", "lambda", "qwzxv blorf"], report.Rows.Select(row => row.Query));
        Assert.Equal([3, 2, 1], report.Rows.Select(row => row.Count));
        var keyError = report.Rows[0];
        Assert.Equal(Now.AddDays(-1), keyError.LastSeen);
        Assert.Equal(["dicts", "exceptions"], keyError.Candidates);
        Assert.Equal(UnansweredOutcome.Unsure, keyError.Outcome);
        Assert.Equal(UnansweredOutcome.NotFound, report.Rows[2].Outcome);
        Assert.Empty(report.Rows[2].Candidates);
    }

    /// <summary>Equal counts and times fall back to the key, compared by code point as SQLite does: "éclair" after "zeta", whatever the database's collation says.</summary>
    [Fact]
    public async Task Report_TiesInCountAndTime_AreOrderedByKeyOrdinally()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenLookupStore();
        await store.AddAsync([new UnansweredLookup("Éclair", [], Now), new UnansweredLookup("Zeta", [], Now), new UnansweredLookup("alpha", [], Now)], CancellationToken.None);

        var report = await store.ReportAsync(Now.AddDays(-1), limit: 10, CancellationToken.None);

        Assert.Equal(["alpha", "Zeta", "Éclair"], report.Rows.Select(row => row.Query));
    }

    [Fact]
    public async Task Report_NothingInTheWindow_IsEmpty()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenLookupStore();
        await store.AddAsync([new UnansweredLookup("last year", [], Now.AddYears(-1))], CancellationToken.None);

        var report = await store.ReportAsync(Now.AddDays(-30), limit: 20, CancellationToken.None);

        Assert.Equal((0, 0), (report.Lookups, report.Queries));
        Assert.Empty(report.Rows);
    }

    [Fact]
    public async Task Prune_DeletesOnlyTheLookupsBeforeTheCutoff()
    {
        await using var storage = await CreateAsync();
        var store = storage.OpenLookupStore();
        await store.AddAsync([new UnansweredLookup("old", [], Now.AddDays(-91)), new UnansweredLookup("older", [], Now.AddDays(-100)), new UnansweredLookup("new", [], Now)], CancellationToken.None);

        Assert.Equal(2, await store.PruneAsync(Now.AddDays(-90), CancellationToken.None));
        Assert.Equal(0, await store.PruneAsync(Now.AddDays(-90), CancellationToken.None));

        Assert.Equal("new", Assert.Single((await store.ReportAsync(Now.AddYears(-1), 10, CancellationToken.None)).Rows).Query);
    }

    [Fact]
    public async Task HasTable_DatabaseFromVersion2_IsFalseUntilMigrated()
    {
        await using var storage = await CreateAsync(version: 2);
        var store = storage.OpenLookupStore();

        Assert.False(await store.HasTableAsync(CancellationToken.None));
        await storage.OpenDatabase().MigrateAsync(CancellationToken.None);
        Assert.True(await store.HasTableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_DatabaseFromVersion1_UpgradesInPlaceAndKeepsItsData()
    {
        await using var storage = await CreateAsync(version: 1);
        var old = storage.OpenDatabase();
        var oldQuizzes = storage.OpenQuizStore();
        var instance = await oldQuizzes.CreateInstanceAsync(Practice(), CancellationToken.None);
        await oldQuizzes.RecordAnswerAsync(instance, Alice, "Alice", 1, Now, CancellationToken.None);
        Assert.Equal(1, await old.SchemaVersionAsync(CancellationToken.None));
        Assert.DoesNotContain("daily_posts", (await storage.SchemaAsync()).Keys);

        var upgraded = storage.OpenDatabase();
        await upgraded.MigrateAsync(CancellationToken.None);
        await upgraded.MigrateAsync(CancellationToken.None);

        Assert.Equal(IStorageDatabase.LatestVersion, await upgraded.SchemaVersionAsync(CancellationToken.None));
        Assert.Contains("daily_posts", (await storage.SchemaAsync()).Keys);
        var history = await storage.OpenQuizStore().GetHistoryAsync(Alice, CancellationToken.None);
        Assert.Equal((1, 1), (history.Answered, history.Correct));
        Assert.True((await storage.OpenQuizStore().CreateInstanceAsync(Practice(), CancellationToken.None)).Id > instance.Id);
    }

    /// <summary>Replicas started together on a new database: each migrates, and the steps are applied once.</summary>
    [Fact]
    public async Task EnsureSchema_SeveralAtOnceOnANewDatabase_AllSucceed()
    {
        await using var storage = await CreateAsync(version: 0);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => storage.OpenDatabase().EnsureSchemaAsync(CancellationToken.None))));

        Assert.Equal(IStorageDatabase.LatestVersion, await storage.OpenDatabase().SchemaVersionAsync(CancellationToken.None));
        Assert.Equal(StorageTables.All.Select(table => table.Name).Order(StringComparer.Ordinal), (await storage.SchemaAsync()).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EnsureSchema_SchemaOfANewerBot_IsRefusedSayingWhatToDo()
    {
        await using var storage = await CreateAsync();
        await storage.SetSchemaVersionAsync(99);

        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.OpenDatabase().EnsureSchemaAsync(CancellationToken.None));

        Assert.Contains($"has schema version 99, newer than this bot's {IStorageDatabase.LatestVersion}; run the newer bot", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>What <c>bot storage copy</c> moves is every column of every table the migrations make.</summary>
    [Fact]
    public async Task Schema_AtTheLatestVersion_HasExactlyTheTablesAndColumnsTheCopyMoves()
    {
        await using var storage = await CreateAsync();

        var schema = await storage.SchemaAsync();

        Assert.Equal(
            StorageTables.All.ToDictionary(table => table.Name, table => table.Columns.Select(column => (column.Name, DeclaredType(column.Type))).ToList()),
            schema.ToDictionary(table => table.Key, table => table.Value.ToList()));
    }

    private static Process StartStoreClient(ITestStorage storage, long instanceId, string user, int clicks, string goFile)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Bot.Host.StoreClient.dll"), "answer", instanceId.ToString(System.Globalization.CultureInfo.InvariantCulture), user, clicks.ToString(System.Globalization.CultureInfo.InvariantCulture), goFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in storage.StoreClientEnvironment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }
}

public sealed class SqliteStorageContractTests : StorageContractTests
{
    private protected override async Task<ITestStorage> CreateAsync(int? version = null) => await TempDatabase.CreateAsync(version);

    private protected override string DeclaredType(ColumnType type) => type switch
    {
        ColumnType.Real => "REAL",
        ColumnType.Text or ColumnType.Day => "TEXT",
        _ => "INTEGER",
    };
}

[Collection(PostgresServer.Collection)]
public sealed class PostgresStorageContractTests(PostgresServer server) : StorageContractTests
{
    private protected override async Task<ITestStorage> CreateAsync(int? version = null) => await TempPostgresDatabase.CreateAsync(server, version);

    private protected override string DeclaredType(ColumnType type) => type switch
    {
        ColumnType.Integer => "integer",
        ColumnType.BigInteger => "bigint",
        ColumnType.Real => "double precision",
        ColumnType.Boolean => "boolean",
        ColumnType.Day => "date",
        _ => "text",
    };
}
