using System.Net;
using System.Text;
using Bot.Discord.Rest;

namespace Bot.Discord.Tests.Rest;

public sealed class DiscordApiExceptionTests
{
    private const string InteractionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldA";

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, true)]
    [InlineData(HttpStatusCode.Unauthorized, true)]
    [InlineData(HttpStatusCode.Forbidden, true)]
    [InlineData(HttpStatusCode.NotFound, true)]
    [InlineData(HttpStatusCode.TooManyRequests, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, false)]
    public void IsPermanent_ByStatus_OnlyClientErrorsOtherThan429(HttpStatusCode status, bool permanent)
    {
        var exception = new DiscordApiException(status, null, null, "GET /gateway/bot");

        Assert.Equal(permanent, exception.IsPermanent);
    }

    [Fact]
    public void NamedChecks_ByCode_MatchOnlyTheirCode()
    {
        var unknownChannel = new DiscordApiException(HttpStatusCode.NotFound, 10003, "Unknown Channel", "POST /channels/{channel_id}/messages");
        var missingAccess = new DiscordApiException(HttpStatusCode.Forbidden, 50001, "Missing Access", "POST /channels/{channel_id}/messages");
        var missingPermissions = new DiscordApiException(HttpStatusCode.Forbidden, 50013, "Missing Permissions", "POST /channels/{channel_id}/messages");
        var unknownInteraction = new DiscordApiException(HttpStatusCode.NotFound, 10062, "Unknown interaction", "POST /interactions/{interaction_id}/{token}/callback");
        var acknowledged = new DiscordApiException(HttpStatusCode.BadRequest, 40060, "Interaction has already been acknowledged.", "POST /interactions/{interaction_id}/{token}/callback");

        Assert.True(unknownChannel.IsUnknownChannel);
        Assert.False(unknownChannel.IsMissingAccess);
        Assert.True(missingAccess.IsMissingAccess);
        Assert.False(missingAccess.IsMissingPermissions);
        Assert.True(missingPermissions.IsMissingPermissions);
        Assert.True(unknownInteraction.IsUnknownInteraction);
        Assert.False(unknownInteraction.IsAlreadyAcknowledged);
        Assert.True(acknowledged.IsAlreadyAcknowledged);
    }

    [Fact]
    public async Task FromResponseAsync_DiscordErrorBodyOnTokenRoute_KeepsCodeAndNamesTemplateNotToken()
    {
        var route = DiscordRoute.EditOriginalResponse("1100000000000000000", InteractionToken);
        using var response = new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent("""{"message":"Unknown Webhook","code":10015}""", Encoding.UTF8, "application/json"),
        };

        var exception = await DiscordApiException.FromResponseAsync(route, response, CancellationToken.None);

        Assert.Equal(10015, exception.Code);
        Assert.Equal("Unknown Webhook", exception.DiscordMessage);
        Assert.Equal("PATCH /webhooks/{application_id}/{token}/messages/@original", exception.Route);
        Assert.Contains("PATCH /webhooks/{application_id}/{token}/messages/@original", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(InteractionToken, exception.ToString(), StringComparison.Ordinal);
        Assert.Contains(InteractionToken, route.RelativePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromResponseAsync_HtmlBody_KeepsStatusWithoutCode()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden)
        {
            Content = new StringContent("<html>blocked</html>", Encoding.UTF8, "text/html"),
        };

        var exception = await DiscordApiException.FromResponseAsync(DiscordRoute.GatewayBot(), response, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, exception.StatusCode);
        Assert.Null(exception.Code);
        Assert.True(exception.IsPermanent);
    }

    [Fact]
    public void Route_WebhookMajorParameter_FingerprintsToken()
    {
        var route = DiscordRoute.CreateFollowup("1100000000000000000", InteractionToken);
        var other = DiscordRoute.CreateFollowup("1100000000000000000", InteractionToken + "x");

        Assert.DoesNotContain(InteractionToken, route.MajorParameter, StringComparison.Ordinal);
        Assert.NotEqual(route.MajorParameter, other.MajorParameter);
        Assert.False(route.UsesBotToken);
    }
}
