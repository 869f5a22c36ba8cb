using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Tests.Shared;

namespace Bot.Tests.Contracts;

/// <summary>One answer as a learner would see it, whatever the platform.</summary>
/// <param name="Private">Only the person who asked sees it (Discord ephemeral, Slack ephemeral).</param>
/// <param name="ReplacedOriginal">It replaced the message whose button was pressed.</param>
/// <param name="Text">Everything the answer shows, as the platform received it.</param>
/// <param name="ButtonIds">The ids of its buttons, in order.</param>
/// <param name="MenuOptions">The values of the options of its menus, in order: the actions they stand for.</param>
internal sealed record ContractAnswer(bool Private, bool ReplacedOriginal, string Text, IReadOnlyList<string> ButtonIds, IReadOnlyList<string> MenuOptions)
{
    /// <summary>Every string in a platform payload, one per line: what the answer shows, without JSON escaping.</summary>
    public static string AllText(JsonNode? node) => node switch
    {
        JsonObject json => string.Join('\n', json.Select(pair => AllText(pair.Value))),
        JsonArray array => string.Join('\n', array.Select(AllText)),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => "",
    };
}

/// <summary>
/// What every chat adapter must do, written once and run against each one through its platform fake:
/// a command within the platform's limits, a quiz button pressed by the asker and by someone else, an
/// error reply, mention injection, and a daily post with its reveal. Each fake checks its platform's
/// own rules (limits, deadlines, pings) and reports breaches as problems.
/// </summary>
public abstract class AdapterContract
{
    private protected abstract Task<ContractAnswer> CommandAsync(string command, string text, string user);

    /// <summary>Presses <paramref name="buttonId"/> on the last question <paramref name="asker"/> was asked.</summary>
    private protected abstract Task<ContractAnswer> PressAsync(string buttonId, string user, string asker);

    /// <summary>Chooses the menu option <paramref name="value"/> on the last answer <paramref name="asker"/> got.</summary>
    private protected abstract Task<ContractAnswer> ChooseAsync(string value, string user, string asker);

    /// <summary>The daily post of the test's channel after its reveal, as the channel shows it.</summary>
    private protected abstract Task<string> DailyPostAfterRevealAsync();

    private protected abstract IReadOnlyList<string> Pings { get; }

    private protected abstract IReadOnlyList<string> Problems { get; }

    [Fact]
    public async Task Contract_Explain_AnswersPubliclyWithTheConceptWithinLimits()
    {
        var answer = await CommandAsync("explain", "closures", "contract-explain");

        Assert.False(answer.Private);
        Assert.Contains("Closures", answer.Text, StringComparison.Ordinal);
        Assert.NotEmpty(answer.ButtonIds);
        AssertNoProblems();
    }

    [Fact]
    public async Task Contract_CourseMenu_OffersEveryConceptOnceAndChoosingOneExplainsIt()
    {
        const string learner = "contract-browse";
        var listing = await CommandAsync("explain", "", learner);

        Assert.Equal(
            CourseReplies.Course.Concepts.Select(concept => "explain:" + concept.Id).Order(StringComparer.Ordinal),
            listing.MenuOptions.Order(StringComparer.Ordinal));
        var answer = await ChooseAsync("explain:closures", learner, learner);
        Assert.Contains("Closures", answer.Text, StringComparison.Ordinal);
        Assert.Contains("remembers variables", answer.Text, StringComparison.Ordinal);
        AssertNoProblems();
    }

    [Fact]
    public async Task Contract_QuizButtons_AskerReplacesTheQuestionOthersAnswerPrivately()
    {
        const string asker = "contract-asker";
        var question = await CommandAsync("quiz", "generators", asker);
        var firstChoice = question.ButtonIds.First(id => id.StartsWith("quiz:answer:", StringComparison.Ordinal));

        var byOther = await PressAsync(firstChoice, "contract-other", asker);
        var byAsker = await PressAsync(firstChoice, asker, asker);

        Assert.False(question.Private);
        Assert.True(byOther.Private);
        Assert.False(byOther.ReplacedOriginal);
        Assert.True(byAsker.ReplacedOriginal);
        Assert.Matches("Correct!|Not quite", byAsker.Text);
        AssertNoProblems();
    }

    [Fact]
    public async Task Contract_InvalidPattern_IsAnsweredPrivatelyWithPythonsError()
    {
        var answer = await CommandAsync("regex-test", "pattern: (a text: aaa", "contract-error");

        Assert.True(answer.Private);
        Assert.Contains("missing ), unterminated subpattern", answer.Text, StringComparison.Ordinal);
        AssertNoProblems();
    }

    [Fact]
    public async Task Contract_MentionsInUserText_PingNobody()
    {
        var answer = await CommandAsync("regex-test", "pattern: \\S+ text: @everyone @here <!channel> <!here> <@U0OTHER001> <@900000000000000001>", "contract-mentions");

        Assert.False(answer.Private);
        Assert.Empty(Pings);
        AssertNoProblems();
    }

    [Fact]
    public async Task Contract_DailyQuiz_IsRevealedOnThePost()
    {
        var post = await DailyPostAfterRevealAsync();

        Assert.Contains("(answer)", post, StringComparison.Ordinal);
        AssertNoProblems();
    }

    private void AssertNoProblems() => Assert.True(Problems.Count == 0, string.Join("\n", Problems));
}
