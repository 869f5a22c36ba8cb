using System.Net;
using System.Text.Json;
using Bot.Slack.Tests.Fakes;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.WebApi;

public sealed class SlackWebApiClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AuthTestAsync_WithBotToken_SendsBearerAndUserAgentAndParsesIdentityAndGrantedScopes()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.GrantedBotScopes = ["commands", "chat:write"];

        var identity = await harness.Client.AuthTestAsync(CancellationToken.None);

        Assert.Equal((FakeSlack.TeamId, FakeSlack.BotUserId, FakeSlack.BotId), (identity.TeamId, identity.UserId, identity.BotId));
        Assert.Equal(["commands", "chat:write"], identity.GrantedScopes);
        var request = Assert.Single(harness.Fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("auth.test", request.ApiMethod);
        Assert.Equal("Bearer " + FakeSlack.BotToken, request.Headers["Authorization"]);
        Assert.StartsWith("TutorBot/", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostUpdateEphemeral_JsonBodies_PostEditAndShowToOneUser()
    {
        await using var harness = await SlackApiHarness.StartAsync();

        var posted = await harness.Client.PostMessageAsync(SlackApiHarness.Text("Quiz 1"), CancellationToken.None);
        await harness.Client.UpdateMessageAsync(new { Channel = posted.Channel, posted.Ts, Text = "Quiz 1 (closed)" }, CancellationToken.None);
        await harness.Client.PostEphemeralAsync(new { Channel = SlackApiHarness.ChannelId, User = SlackApiHarness.UserId, Text = "only you" }, CancellationToken.None);

        Assert.Equal(SlackApiHarness.ChannelId, posted.Channel);
        var message = Assert.Single(harness.Fake.Messages(SlackApiHarness.ChannelId));
        Assert.Equal(posted.Ts, message.Ts);
        Assert.Equal("Quiz 1 (closed)", message.Text);
        Assert.Equal(1, message.EditCount);
        var ephemeral = Assert.Single(harness.Fake.Ephemerals);
        Assert.Equal(SlackApiHarness.UserId, ephemeral.User);
        Assert.Equal(["chat.postMessage", "chat.update", "chat.postEphemeral"], harness.Fake.Requests.Select(r => r.ApiMethod));
        Assert.All(harness.Fake.Requests, request =>
        {
            Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
            Assert.Equal("Bearer " + FakeSlack.BotToken, request.Headers["Authorization"]);
        });
        Assert.DoesNotContain(harness.Logs.Entries, line => line.Level >= LogLevel.Warning);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task HistoryAsync_FormEncoded_ReturnsMetadataOnlyWhenAsked()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var metadata = new { EventType = "tutor_quiz", EventPayload = new { QuizId = "q42" } };
        var posted = await harness.Client.PostMessageAsync(new { Channel = SlackApiHarness.ChannelId, Text = "Quiz 1", Metadata = metadata }, CancellationToken.None);
        await harness.Client.PostMessageAsync(SlackApiHarness.Text("later"), CancellationToken.None);

        var with = await harness.Client.HistoryAsync(SlackApiHarness.ChannelId, 10, includeAllMetadata: true, CancellationToken.None);
        var without = await harness.Client.HistoryAsync(SlackApiHarness.ChannelId, 1, includeAllMetadata: false, CancellationToken.None);

        Assert.Equal(["later", "Quiz 1"], with.Select(m => m.Text));
        var quiz = with[1];
        Assert.Equal(posted.Ts, quiz.Ts);
        Assert.Equal(FakeSlack.BotId, quiz.BotId);
        Assert.Equal("tutor_quiz", quiz.Metadata!.Value.GetProperty("event_type").GetString());
        Assert.Equal("q42", quiz.Metadata!.Value.GetProperty("event_payload").GetProperty("quiz_id").GetString());
        Assert.Equal("later", Assert.Single(without).Text);
        Assert.All(without, m => Assert.Null(m.Metadata));
        var historyRequests = harness.Fake.Requests.Where(r => r.ApiMethod == "conversations.history").ToList();
        Assert.All(historyRequests, r => Assert.StartsWith("application/x-www-form-urlencoded", r.Headers["Content-Type"], StringComparison.Ordinal));
        Assert.Equal("channel=C0CS101&limit=10&include_all_metadata=true", historyRequests[0].Body);
        Assert.Equal("channel=C0CS101&limit=1", historyRequests[1].Body);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task RepliesAsync_FormEncoded_ReturnsParentThenRepliesWithMetadata()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var parent = await harness.Client.PostMessageAsync(SlackApiHarness.Text("Quiz 1"), CancellationToken.None);
        var metadata = new { EventType = "tutor_reveal", EventPayload = new { Post = parent.Ts } };
        var reply = await harness.Client.PostMessageAsync(
            new { Channel = SlackApiHarness.ChannelId, ThreadTs = parent.Ts, Text = "Answer: B", Metadata = metadata }, CancellationToken.None);

        var thread = await harness.Client.RepliesAsync(SlackApiHarness.ChannelId, parent.Ts, 50, includeAllMetadata: true, CancellationToken.None);

        Assert.Equal([parent.Ts, reply.Ts], thread.Select(m => m.Ts));
        Assert.Equal("tutor_reveal", thread[1].Metadata!.Value.GetProperty("event_type").GetString());
        var request = Assert.Single(harness.Fake.Requests, r => r.ApiMethod == "conversations.replies");
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal($"channel=C0CS101&ts={parent.Ts}&limit=50&include_all_metadata=true", request.Body);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostToResponseUrlAsync_DelayedReply_SentAsJsonWithoutAuthorization()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var responseUrl = harness.Fake.NewResponseUrl(SlackApiHarness.ChannelId, SlackApiHarness.UserId);

        await harness.Client.PostToResponseUrlAsync(responseUrl, new { ResponseType = "ephemeral", Text = "Working on it…" }, CancellationToken.None);

        var post = Assert.Single(harness.Fake.ResponsePosts(responseUrl));
        Assert.True(post.Accepted);
        Assert.Equal("Working on it…", (string?)post.Body!["text"]);
        var request = Assert.Single(harness.Fake.Requests);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task OpenSocketConnectionAsync_WithAppToken_ReturnsWebSocketUrl()
    {
        await using var harness = await SlackApiHarness.StartAsync();

        var url = await harness.Client.OpenSocketConnectionAsync(CancellationToken.None);

        Assert.True(url.Scheme is "ws" or "wss", url.Scheme);
        var request = Assert.Single(harness.Fake.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("apps.connections.open", request.ApiMethod);
        Assert.Equal("Bearer " + FakeSlack.AppToken, request.Headers["Authorization"]);
        Assert.Equal(1, harness.Fake.SocketMode.Opens);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostMessageAsync_429WithRetryAfter_WaitsAndHoldsBackOtherCallsOfTheMethod()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.InjectRateLimit("chat.postMessage", retryAfterSeconds: 1, count: 1);

        var limited = harness.Client.PostMessageAsync(SlackApiHarness.Text("first"), CancellationToken.None);
        // The client logs the 429 once it has recorded the pause; from then on every call of the method must wait.
        await harness.Fake.WaitForAsync(_ => harness.Logs.Entries.Any(line => line.Level == LogLevel.Warning), Patience);
        var concurrent = harness.Client.PostMessageAsync(SlackApiHarness.Text("second"), CancellationToken.None);
        var otherMethod = harness.Client.AuthTestAsync(CancellationToken.None);
        await Task.WhenAll(limited, concurrent, otherMethod);

        var requests = harness.Fake.Requests;
        var rateLimited = Assert.Single(requests, r => r.Status == 429);
        var posts = requests.Where(r => r.ApiMethod == "chat.postMessage" && r.Status == 200).ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, post => Assert.True(post.At - rateLimited.At >= TimeSpan.FromSeconds(0.98), $"posted {post.At - rateLimited.At} after the 429"));
        var auth = Assert.Single(requests, r => r.ApiMethod == "auth.test");
        Assert.True(auth.At - rateLimited.At < TimeSpan.FromSeconds(0.9), "another method is not paused");
        Assert.Equal(2, harness.Fake.Messages(SlackApiHarness.ChannelId).Count);
        var warning = Assert.Single(harness.Logs.Entries, line => line.Level == LogLevel.Warning);
        Assert.Contains("Method=chat.postMessage", warning.Values, StringComparison.Ordinal);
        Assert.Contains("RetryAfterMs=1000", warning.Values, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostMessageAsync_RatelimitedInOkFalseBody_RetriedAfterAPause()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.InjectError("chat.postMessage", "ratelimited", count: 1);

        var posted = await harness.Client.PostMessageAsync(SlackApiHarness.Text("hello"), CancellationToken.None);

        var requests = harness.Fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= SlackRateLimiter.DefaultRetryAfter - TimeSpan.FromMilliseconds(20));
        Assert.Equal(posted.Ts, Assert.Single(harness.Fake.Messages(SlackApiHarness.ChannelId)).Ts);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task PostMessageAsync_NotInChannel_ThrowsPermanentErrorWithFixAndDoesNotRetry()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.AddChannel("C0NOTJOINED", botIsMember: false);

        var exception = await Assert.ThrowsAsync<SlackApiException>(() =>
            harness.Client.PostMessageAsync(SlackApiHarness.Text("hello", "C0NOTJOINED"), CancellationToken.None));

        Assert.Equal("chat.postMessage", exception.Method);
        Assert.Equal("not_in_channel", exception.Error);
        Assert.True(exception.IsPermanent);
        Assert.Equal("invite the bot to the channel: /invite @tutor", exception.Fix);
        Assert.Contains(exception.Fix!, exception.Message, StringComparison.Ordinal);
        Assert.Single(harness.Fake.Requests);
    }

    [Fact]
    public async Task AuthTestAsync_WrongBotToken_InvalidAuthNamesTheSettingButNotTheToken()
    {
        const string wrongToken = "xoxb-wrong";
        await using var harness = await SlackApiHarness.StartAsync(botToken: wrongToken);

        var exception = await Assert.ThrowsAsync<SlackApiException>(() => harness.Client.AuthTestAsync(CancellationToken.None));

        Assert.Equal("invalid_auth", exception.Error);
        Assert.True(exception.IsAuthFailure);
        Assert.Equal("check Slack__BotToken: Slack says invalid_auth", exception.Fix);
        Assert.Single(harness.Fake.Requests);
        Assert.DoesNotContain(wrongToken, harness.Everything(exception), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresAndRetries_ResponseUrlUsedUpAndRateLimits_NeverShowTokensOrResponseUrlInExceptionsOrLogs()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        harness.Fake.ResponseUrlMaxPosts = 1;
        var responseUrl = harness.Fake.NewResponseUrl(SlackApiHarness.ChannelId, SlackApiHarness.UserId);
        harness.Fake.InjectRateLimit("apps.connections.open", retryAfterSeconds: 0, count: 1);
        harness.Fake.InjectError("chat.update", "message_not_found", count: 1);
        await harness.Client.OpenSocketConnectionAsync(CancellationToken.None);
        await harness.Client.PostToResponseUrlAsync(responseUrl, new { Text = "first" }, CancellationToken.None);

        var usedUp = await Assert.ThrowsAsync<SlackApiException>(() =>
            harness.Client.PostToResponseUrlAsync(responseUrl, new { Text = "second" }, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<SlackApiException>(() =>
            harness.Client.UpdateMessageAsync(new { Channel = SlackApiHarness.ChannelId, Ts = "1.000001", Text = "x" }, CancellationToken.None));

        Assert.Equal(SlackApiException.ResponseUrlMethod, usedUp.Method);
        Assert.Equal("used_url", usedUp.Error);
        Assert.Equal(HttpStatusCode.NotFound, usedUp.StatusCode);
        Assert.True(usedUp.IsPermanent);
        Assert.Equal("message_not_found", missing.Error);
        Assert.Contains(harness.Logs.Entries, line => line.Level == LogLevel.Warning && line.Values.Contains("apps.connections.open", StringComparison.Ordinal));
        var everything = harness.Everything(usedUp, missing);
        foreach (var secret in new[] { FakeSlack.BotToken, FakeSlack.AppToken, responseUrl.AbsoluteUri, responseUrl.AbsolutePath })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddSlackWebApi_TwoResolvedClients_ShareTheMethodsPause()
    {
        await using var harness = await SlackApiHarness.StartAsync();
        var second = harness.Services.GetRequiredService<SlackWebApiClient>();
        harness.Fake.InjectRateLimit("chat.postEphemeral", retryAfterSeconds: 1, count: 1);
        var ephemeral = new { Channel = SlackApiHarness.ChannelId, User = SlackApiHarness.UserId, Text = "a" };

        var limited = harness.Client.PostEphemeralAsync(ephemeral, CancellationToken.None);
        await harness.Fake.WaitForAsync(_ => harness.Logs.Entries.Any(line => line.Level == LogLevel.Warning), Patience);
        await second.PostEphemeralAsync(ephemeral, CancellationToken.None);
        await limited;

        Assert.NotSame(harness.Client, second);
        Assert.Equal([429, 200, 200], harness.Fake.Requests.Select(r => r.Status));
        Assert.Equal(2, harness.Fake.Ephemerals.Count);
        Assert.Empty(harness.Fake.Problems);
    }
}
