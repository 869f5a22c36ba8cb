using Bot.Core.Replies;

namespace Bot.Core.Tests.Replies;

public class ReplyActionsTests
{
    [Fact]
    public void Parse_ReadsBackEveryActionItMakes()
    {
        Assert.Equal(new ExplainRequest("closures"), ReplyActions.Parse(ReplyActions.Explain("closures", "x").Id));
        Assert.Equal(new QuizAnswerRequest(9_007_199_254_740_993, 3), ReplyActions.Parse(ReplyActions.Answer(9_007_199_254_740_993, 3, "x").Id));
        Assert.Equal(new QuizRequest(null), ReplyActions.Parse(ReplyActions.NextQuestion(null, "x").Id));
        Assert.Equal(new QuizRequest("generators"), ReplyActions.Parse(ReplyActions.NextQuestion("generators", "x").Id));
    }

    [Theory]
    [InlineData("quiz:answer:")]
    [InlineData("quiz:answer:1")]
    [InlineData("quiz:answer:x:1")]
    [InlineData("quiz:answer:1:-1")]
    [InlineData("quiz:answer:1:2:3")]
    [InlineData("quiz:answer:99999999999999999999:1")]
    [InlineData("quiz:nextt")]
    [InlineData("unknown:1")]
    public void Parse_MalformedIds_AreUnknownNotErrors(string id) => Assert.Null(ReplyActions.Parse(id));

    [Fact]
    public void AnswerIds_FitDiscordCustomIdLimit() =>
        Assert.True(ReplyActions.Answer(long.MaxValue, 3, "x").Id.Length <= ReplyActions.MaxIdLength);
}
