using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Host.Storage;

namespace Bot.Host.Tests.Quiz;

public class SqliteQuizStoreTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    internal static readonly Learner Alice = new(Platform.Terminal, "local", "alice");

    private static readonly QuizQuestion Question = new("c:0123456789", "c", "Q?", "", ["a", "b", "c"], 1, "Why.", QuizDifficulty.Easy, 1, null);

    [Fact]
    public async Task RecordAnswer_ManyConcurrentClicksBySameLearner_OnlyTheFirstCounts()
    {
        await using var database = await TempDatabase.CreateAsync();
        var instance = await database.OpenQuizStore().CreateInstanceAsync(Practice(), CancellationToken.None);

        // Separate store objects, like separate processes, racing on one file.
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(index =>
            Task.Run(() => database.OpenQuizStore().RecordAnswerAsync(instance, Alice, "Alice", index % 3, Now.AddMilliseconds(index), CancellationToken.None))));

        var recorded = Assert.Single(answers, answer => answer.IsNew);
        Assert.All(answers, answer => Assert.Equal(recorded.Choice, answer.Choice));
        var history = await database.OpenQuizStore().GetHistoryAsync(Alice, CancellationToken.None);
        Assert.Equal(1, history.Answered);
        Assert.Single(history.Cards);
    }

    [Fact]
    public async Task RecordAnswer_ConcurrentLearners_AreAllCountedInTheTally()
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = database.OpenQuizStore();
        var instance = await store.CreateInstanceAsync(Practice(), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(index => Task.Run(() =>
            database.OpenQuizStore().RecordAnswerAsync(instance, Alice with { User = $"user{index}" }, $"User {index}", index % 3, Now, CancellationToken.None))));

        var tally = await store.GetTallyAsync(instance, CancellationToken.None);
        Assert.Equal(30, tally.Answers);
        Assert.Equal(10, tally.Correct);
        Assert.Equal([10, 10, 10], tally.PerChoice);
    }

    [Fact]
    public async Task Leaderboard_RanksByCorrectAnswersWithinTheWorkspaceAndPeriod()
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = database.OpenQuizStore();
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
    }

    internal static NewQuizInstance Practice() =>
        new(QuizInstanceKind.Practice, Question, Platform.Terminal, "local", "terminal", "alice", null, Now, null);
}
