using System.Net;
using Bot.Slack.WebApi;

namespace Bot.Slack.Tests.WebApi;

public sealed class SlackApiExceptionTests
{
    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("invalid_auth")]
    [InlineData("missing_scope")]
    [InlineData("invalid_blocks")]
    [InlineData("user_not_in_channel")]
    [InlineData("no_text")]
    public void IsPermanent_CodeRetryingCannotFix_True(string error)
    {
        Assert.True(new SlackApiException("chat.postMessage", error).IsPermanent);
    }

    [Theory]
    [InlineData("ratelimited")]
    [InlineData("internal_error")]
    [InlineData("fatal_error")]
    [InlineData("service_unavailable")]
    public void IsPermanent_TransientCode_False(string error)
    {
        Assert.False(new SlackApiException("chat.postMessage", error).IsPermanent);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, true)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public void IsPermanent_HttpStatusWithoutCode_FollowsStatus(HttpStatusCode status, bool permanent)
    {
        Assert.Equal(permanent, new SlackApiException("chat.postMessage", "http_" + (int)status, status).IsPermanent);
    }

    [Fact]
    public void Fix_NotInChannel_SaysToInviteTheBot()
    {
        var exception = new SlackApiException("chat.postMessage", "not_in_channel");

        Assert.Equal("invite the bot to the channel: /invite @tutor", exception.Fix);
        Assert.Equal("Slack answered chat.postMessage with not_in_channel: invite the bot to the channel: /invite @tutor", exception.Message);
    }

    [Fact]
    public void Fix_InvalidAuthOnBotAndSocketMethods_NamesTheRightSetting()
    {
        Assert.Equal("check Slack__BotToken: Slack says invalid_auth", new SlackApiException("auth.test", "invalid_auth").Fix);
        Assert.Equal("check Slack__AppToken: Slack says invalid_auth", new SlackApiException("apps.connections.open", "invalid_auth").Fix);
    }

    [Fact]
    public void Fix_MissingScope_UsesSlacksNeededScopeElseTheMethodsScope()
    {
        Assert.Equal("add the channels:history scope and reinstall the app",
            new SlackApiException("conversations.history", "missing_scope", neededScope: "channels:history").Fix);
        Assert.Equal("add the chat:write scope and reinstall the app", new SlackApiException("chat.update", "missing_scope").Fix);
    }

    [Fact]
    public void Message_WithDetailsAndStatus_NamesMethodCodeAndDetail()
    {
        var exception = new SlackApiException("chat.postMessage", "invalid_blocks", HttpStatusCode.OK,
            details: "[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]");

        Assert.Contains("invalid_blocks", exception.Message, StringComparison.Ordinal);
        Assert.Contains("json-pointer:/blocks/0/text/text", exception.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404 (used_url)",
            new SlackApiException(SlackApiException.ResponseUrlMethod, "used_url", HttpStatusCode.NotFound).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fix_UnknownCode_Null()
    {
        Assert.Null(new SlackApiException("chat.postMessage", "something_new").Fix);
    }
}
