using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Host.Tests.Quiz;

/// <summary>The quiz commands against the real course and a real SQLite file.</summary>
public class QuizHandlerTests
{
    private static readonly Caller Alice = new(Platform.Discord, "guild", "channel", "alice", "Alice");
    private static readonly Caller Bob = new(Platform.Discord, "guild", "channel", "bob", "Bob");

    [Fact]
    public async Task Answer_DoubleClickAndLaterAnswers_KeepTheFirstAnswer()
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);
        var shown = await AskAsync(handler, Alice, "generators");
        var question = Course.KnowledgeBase.FindById("generators")!.Questions.Single(candidate => candidate.Id == shown.QuestionId);
        var wrong = (question.CorrectIndex + 1) % question.Choices.Count;

        var clicks = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => handler.AnswerAsync(new QuizAnswerRequest(shown.InstanceId, wrong), Alice, CancellationToken.None)));
        var (later, laterOutcome) = await handler.AnswerAsync(new QuizAnswerRequest(shown.InstanceId, question.CorrectIndex), Alice, CancellationToken.None);

        Assert.Single(clicks, click => ((QuizAnswered)click.Outcome!).Counted);
        var first = clicks.Single(click => ((QuizAnswered)click.Outcome!).Counted);
        Assert.Equal(("Not quite", true, ReplyVisibility.Public), (first.Reply.Title, first.Reply.ReplacesOriginal, first.Reply.Visibility));
        Assert.Equal(new QuizAnswered(shown.InstanceId, question.Id, "generators", wrong, false, false), laterOutcome);
        Assert.StartsWith("You already answered this question; your first answer counts.", later.Body, StringComparison.Ordinal);
        Assert.Equal(ReplyVisibility.OnlyCaller, later.Visibility);
        Assert.Equal(1, (await database.OpenQuizStore().GetHistoryAsync(Learner.Of(Alice), CancellationToken.None)).Answered);
    }

    [Fact]
    public async Task Answer_SomeoneElsesPracticeQuestion_CountsForThemWithoutReplacingTheMessage()
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);
        var shown = await AskAsync(handler, Alice, "closures");

        var (reply, outcome) = await handler.AnswerAsync(new QuizAnswerRequest(shown.InstanceId, 0), Bob, CancellationToken.None);

        Assert.True(((QuizAnswered)outcome!).Counted);
        Assert.False(reply.ReplacesOriginal);
        Assert.Equal(ReplyVisibility.OnlyCaller, reply.Visibility);
    }

    /// <summary>A button id from another platform, guild or workspace, or channel answers nothing and reaches no leaderboard.</summary>
    [Theory]
    [InlineData(Platform.Slack, "guild", "channel")]
    [InlineData(Platform.Discord, "other-guild", "channel")]
    [InlineData(Platform.Discord, "guild", "other-channel")]
    public async Task Answer_FromWhereTheQuestionWasNotAsked_IsNotFoundAndNotCounted(Platform platform, string workspace, string channel)
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);
        var shown = await AskAsync(handler, Alice, "closures");
        var stranger = new Caller(platform, workspace, channel, "mallory", "Mallory");

        var (reply, outcome) = await handler.AnswerAsync(new QuizAnswerRequest(shown.InstanceId, 0), stranger, CancellationToken.None);

        Assert.Equal("Question not found", reply.Title);
        Assert.Null(outcome);
        Assert.Equal(0, (await database.OpenQuizStore().GetHistoryAsync(Learner.Of(stranger), CancellationToken.None)).Answered);
    }

    [Fact]
    public async Task Answer_Right_ShowsExplanationAndActionsForExplainAndNextOnTheSameTopic()
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);
        var shown = await AskAsync(handler, Alice, "slicing");
        var question = Course.KnowledgeBase.FindById("slicing")!.Questions.Single(candidate => candidate.Id == shown.QuestionId);

        var (reply, _) = await handler.AnswerAsync(new QuizAnswerRequest(shown.InstanceId, question.CorrectIndex), Alice, CancellationToken.None);

        Assert.Equal(("Correct!", ReplyTone.Success), (reply.Title, reply.Tone));
        Assert.Contains(question.Explanation, reply.Body, StringComparison.Ordinal);
        Assert.Equal(["explain:slicing", "quiz:topic:slicing"], reply.Actions.Select(action => action.Id));
    }

    [Theory]
    [InlineData(999_999, 0, "Question not found")]
    [InlineData(1, 7, "No such choice")]
    public async Task Answer_BadInstanceOrChoice_GetsAClearError(long instance, int choice, string title)
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);
        await AskAsync(handler, Alice, "closures");

        var (reply, outcome) = await handler.AnswerAsync(new QuizAnswerRequest(instance, choice), Alice, CancellationToken.None);

        Assert.Equal((title, ReplyTone.Error), (reply.Title, reply.Tone));
        Assert.Null(outcome);
    }

    [Fact]
    public async Task Ask_WithoutTopic_ServesAMissedQuestionAgainOnceItIsDue()
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, clock) = Handler(database);
        var first = await AskAsync(handler, Alice, null);
        var question = Course.KnowledgeBase.Concepts.SelectMany(concept => concept.Questions).Single(candidate => candidate.Id == first.QuestionId);
        await handler.AnswerAsync(new QuizAnswerRequest(first.InstanceId, (question.CorrectIndex + 1) % question.Choices.Count), Alice, CancellationToken.None);

        var sameDay = await AskAsync(handler, Alice, null);
        clock.Advance(TimeSpan.FromDays(1));
        var nextDay = await AskAsync(handler, Alice, null);

        Assert.NotEqual(first.QuestionId, sameDay.QuestionId);
        Assert.Equal((first.QuestionId, PickReason.Due), (nextDay.QuestionId, nextDay.Reason));
    }

    [Theory]
    [InlineData("closurs", "closures")]
    [InlineData("  Generators ", "generators")]
    public async Task Ask_TopicWithTyposOrSpaces_FindsTheConcept(string topic, string conceptId)
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);

        Assert.Equal(conceptId, (await AskAsync(handler, Alice, topic)).ConceptId);
    }

    [Fact]
    public async Task Ask_UnknownTopic_SaysSoWithoutEchoingMarkup()
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, _) = Handler(database);

        var (reply, outcome) = await handler.AskAsync(new QuizRequest("@everyone *zzzz*"), Alice, CancellationToken.None);

        Assert.IsType<QuizUnavailable>(outcome);
        Assert.Equal("No such topic", reply.Title);
        Assert.Contains(@"\*zzzz\*", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_CountAnswersStreakAndWeakestConcept()
    {
        await using var database = await TempDatabase.CreateAsync();
        var (handler, clock) = Handler(database);
        var stats = new StatsHandler(Course.Source, database.OpenQuizStore(), clock);
        foreach (var (topic, right) in new[] { ("closures", false), ("scope", true), ("closures", true) })
        {
            var shown = await AskAsync(handler, Alice, topic);
            var question = Course.KnowledgeBase.FindById(topic)!.Questions.Single(candidate => candidate.Id == shown.QuestionId);
            await handler.AnswerAsync(new QuizAnswerRequest(shown.InstanceId, right ? question.CorrectIndex : (question.CorrectIndex + 1) % question.Choices.Count), Alice, CancellationToken.None);
            clock.Advance(TimeSpan.FromDays(1));
        }

        var (reply, statsOutcome) = await stats.StatsAsync(Alice, CancellationToken.None);
        var outcome = Assert.IsType<StatsShown>(statsOutcome);

        Assert.Equal((3, 2, 3), (outcome.Answered, outcome.Correct, outcome.StreakDays));
        Assert.Equal("closures", Assert.Single(outcome.Weakest).ConceptId);
        Assert.Contains("Closures: 1 of 2 right", reply.Body, StringComparison.Ordinal);
        Assert.Equal(2, outcome.DueNow);
    }

    private static (QuizHandler Handler, FakeTimeProvider Clock) Handler(TempDatabase database)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));
        return (new QuizHandler(Course.Source, database.OpenQuizStore(), clock), clock);
    }

    private static async Task<QuizQuestionShown> AskAsync(QuizHandler handler, Caller caller, string? topic)
    {
        var (reply, outcome) = await handler.AskAsync(new QuizRequest(topic), caller, CancellationToken.None);
        var shown = Assert.IsType<QuizQuestionShown>(outcome);
        Assert.Equal(shown.Choices.Count, reply.Actions.Count);
        return shown;
    }
}
