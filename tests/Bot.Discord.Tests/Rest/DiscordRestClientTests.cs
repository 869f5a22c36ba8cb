using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Rest;

public sealed class DiscordRestClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task GetGatewayBotAsync_WithBotToken_SendsAuthAndUserAgentAndParsesAnswer()
    {
        await using var harness = await RestHarness.StartAsync();
        harness.Fake.GatewayUrl = new Uri("wss://gateway.example.test");
        harness.Fake.Shards = 2;

        var info = await harness.Services.GetRequiredService<IGatewayUrlSource>().GetGatewayBotAsync(CancellationToken.None);

        Assert.Equal("wss://gateway.example.test", info.Url);
        Assert.Equal(2, info.Shards);
        Assert.Equal(1000, info.SessionStartLimit.Total);
        var request = Assert.Single(harness.Fake.Requests);
        Assert.Equal("Bot " + FakeDiscord.BotToken, request.Headers["Authorization"]);
        Assert.StartsWith("DiscordBot (https://github.com/tutor-bot/tutor-bot, ", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task BulkOverwriteCommandsAsync_GlobalAndGuild_ReturnsCountAndStoresCommands()
    {
        await using var harness = await RestHarness.StartAsync();
        object[] commands =
        [
            new { Name = "explain", Type = 1, Description = "Explain a topic" },
            new { Name = "quiz", Type = 1, Description = "Take a quiz" },
        ];

        var global = await harness.Client.BulkOverwriteGlobalCommandsAsync(commands, CancellationToken.None);
        var guild = await harness.Client.BulkOverwriteGuildCommandsAsync(RestHarness.GuildId, commands[..1], CancellationToken.None);

        Assert.Equal(2, global);
        Assert.Equal(1, guild);
        Assert.Equal(["explain", "quiz"], harness.Fake.GlobalCommands.Select(c => (string)c["name"]!));
        Assert.Equal("explain", (string)Assert.Single(harness.Fake.GuildCommands(RestHarness.GuildId))["name"]!);
        Assert.All(harness.Fake.Requests, request => Assert.Equal("PUT", request.Method));
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task MessagesAsync_CreateEditList_RoundTripThroughChannel()
    {
        await using var harness = await RestHarness.StartAsync();

        var created = await harness.Client.CreateMessageAsync(RestHarness.ChannelId,
            new { Content = "first", Nonce = "n-1", EnforceNonce = true, AllowedMentions = new { Parse = Array.Empty<string>() } }, CancellationToken.None);
        var edited = await harness.Client.EditMessageAsync(RestHarness.ChannelId, created.Id, RestHarness.TextMessage("first, edited"), CancellationToken.None);
        await harness.Client.CreateMessageAsync(RestHarness.ChannelId,
            new { Embeds = new[] { new { Title = "Second" } }, AllowedMentions = new { Parse = Array.Empty<string>() } }, CancellationToken.None);
        var listed = await harness.Client.GetChannelMessagesAsync(RestHarness.ChannelId, 10, CancellationToken.None);

        Assert.Equal(new DiscordMessageRef(created.Id, RestHarness.ChannelId), edited);
        Assert.Equal(2, listed.Count);
        var newest = listed[0];
        Assert.Equal("Second", newest.Embeds[0].GetProperty("title").GetString());
        var oldest = listed[1];
        Assert.Equal(created.Id, oldest.Id);
        Assert.Equal("first, edited", oldest.Content);
        Assert.Equal("n-1", oldest.Nonce);
        Assert.Equal(FakeDiscord.BotUserId, oldest.AuthorId);
        Assert.Equal("?limit=10", harness.Fake.Requests[^1].Query);
        Assert.Equal(1, harness.Fake.Messages(RestHarness.ChannelId)[0].EditCount);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task InteractionRoutes_CallbackEditFollowup_SentWithoutAuthorization()
    {
        await using var harness = await RestHarness.StartAsync();
        var interaction = harness.Fake.NewInteraction(SlashCommand());

        await harness.Client.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new { Type = 5 }, CancellationToken.None);
        var original = await harness.Client.EditOriginalResponseAsync(interaction.Token, RestHarness.TextMessage("the answer"), CancellationToken.None);
        var followupId = await harness.Client.CreateFollowupAsync(interaction.Token, RestHarness.TextMessage("one more thing"), CancellationToken.None);

        Assert.Equal(5, (int)interaction.InitialResponse!["type"]!);
        Assert.Equal("the answer", (string)interaction.Original!["content"]!);
        Assert.Equal(original.Id, (string)interaction.Original!["id"]!);
        Assert.Equal(RestHarness.ChannelId, original.ChannelId);
        var followup = Assert.Single(interaction.Followups);
        Assert.Equal(followupId, (string)followup["id"]!);
        Assert.Equal(3, harness.Fake.Requests.Count);
        Assert.All(harness.Fake.Requests, request => Assert.False(request.Headers.ContainsKey("Authorization"), request.Path));
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task CreateMessageAsync_RouteLimitTwoPerSecond_WaitsInsteadOfHitting429()
    {
        await using var harness = await RestHarness.StartAsync();
        harness.Fake.SetRouteLimit("POST", "/channels/", 2, TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            harness.Client.CreateMessageAsync(RestHarness.ChannelId, RestHarness.TextMessage("message " + i), CancellationToken.None)));

        Assert.Equal(6, harness.Fake.Messages(RestHarness.ChannelId).Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"finished after {clock.Elapsed}: the third and fifth sends should have waited for resets");
        Assert.All(harness.Fake.Requests, request => Assert.Equal(200, request.Status));
        Assert.Equal(0, harness.Fake.InvalidRequestCount);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task CreateMessageAsync_Injected429_WaitsRetryAfterThenSucceeds()
    {
        await using var harness = await RestHarness.StartAsync();
        harness.Fake.InjectRateLimit("POST", $"/channels/{RestHarness.ChannelId}/messages", TimeSpan.FromMilliseconds(600), count: 1);

        await harness.Client.CreateMessageAsync(RestHarness.ChannelId, RestHarness.TextMessage("hello"), CancellationToken.None);

        var requests = harness.Fake.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(600), $"retried after {requests[1].At - requests[0].At}");
        Assert.Single(harness.Fake.Messages(RestHarness.ChannelId));
        var warning = Assert.Single(harness.Logs.Entries, line => line.Level == LogLevel.Warning);
        Assert.Contains("POST /channels/{channel_id}/messages", warning.Message, StringComparison.Ordinal);
        Assert.Contains("RetryAfterMs=600", warning.Values, StringComparison.Ordinal);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task GlobalRateLimit_PausesOtherBotRoutes_ButNotInteractionCallbacks()
    {
        await using var harness = await RestHarness.StartAsync();
        var pause = TimeSpan.FromMilliseconds(800);
        harness.Fake.InjectRateLimit("POST", $"/channels/{RestHarness.ChannelId}/messages", pause, count: 1, global: true);
        var interaction = harness.Fake.NewInteraction(SlashCommand());

        var limited = harness.Client.CreateMessageAsync(RestHarness.ChannelId, RestHarness.TextMessage("hello"), CancellationToken.None);
        // The client logs the 429 only after it has recorded the pause, so from here on it must hold other routes back.
        await harness.Fake.WaitForAsync(_ => harness.Logs.Entries.Any(line => line.Level == LogLevel.Warning), Patience);
        var otherRoute = harness.Client.GetGatewayBotAsync(CancellationToken.None);
        await harness.Client.CreateInteractionResponseAsync(interaction.Id, interaction.Token,
            new { Type = 4, Data = RestHarness.TextMessage("still answering") }, CancellationToken.None);
        await Task.WhenAll(limited, otherRoute);

        var requests = harness.Fake.Requests;
        var rateLimited = Assert.Single(requests, r => r.Status == 429);
        var callback = Assert.Single(requests, r => r.Path.Contains("/interactions/", StringComparison.Ordinal));
        var gateway = Assert.Single(requests, r => r.Path.EndsWith("/gateway/bot", StringComparison.Ordinal));
        Assert.True(callback.At - rateLimited.At < pause, "interaction callbacks are exempt from the global limit");
        Assert.True(gateway.At - rateLimited.At >= pause, $"gateway/bot went {gateway.At - rateLimited.At} after a global 429 of {pause}");
        Assert.Equal(4, requests.Count);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task CreateMessageAsync_503Twice_RetriesAndPostsOnce()
    {
        await using var harness = await RestHarness.StartAsync();
        harness.Fake.InjectStatus("POST", $"/channels/{RestHarness.ChannelId}/messages", 503, count: 2);

        var created = await harness.Client.CreateMessageAsync(RestHarness.ChannelId, RestHarness.TextMessage("hello"), CancellationToken.None);

        Assert.Equal([503, 503, 200], harness.Fake.Requests.Select(r => r.Status));
        Assert.Equal(created.Id, Assert.Single(harness.Fake.Messages(RestHarness.ChannelId)).Id);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task CreateMessageAsync_UnknownChannel_ThrowsPermanentErrorWithoutRetry()
    {
        await using var harness = await RestHarness.StartAsync();

        var exception = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.CreateMessageAsync("1000000000000000999", RestHarness.TextMessage("hello"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, exception.StatusCode);
        Assert.True(exception.IsUnknownChannel);
        Assert.True(exception.IsPermanent);
        Assert.Equal("POST /channels/{channel_id}/messages", exception.Route);
        Assert.Single(harness.Fake.Requests);
        // The fake records every refusal as a problem; this one is the point of the test.
        Assert.Contains("does not exist", Assert.Single(harness.Fake.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRoutes_FailuresAndRetries_NeverShowTokensInExceptionsOrLogs()
    {
        await using var harness = await RestHarness.StartAsync();
        var interaction = harness.Fake.NewInteraction(SlashCommand());
        harness.Fake.InjectRateLimit("POST", "/interactions/", TimeSpan.FromMilliseconds(50), count: 1);
        harness.Fake.InjectStatus("PATCH", "/webhooks/", 502, count: 1);
        await harness.Client.CreateInteractionResponseAsync(interaction.Id, interaction.Token, new { Type = 5 }, CancellationToken.None);
        await harness.Client.EditOriginalResponseAsync(interaction.Token, RestHarness.TextMessage("done"), CancellationToken.None);
        var unknownToken = FakeDiscord.NewInteractionToken();

        var exception = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.CreateFollowupAsync(unknownToken, RestHarness.TextMessage("late"), CancellationToken.None));

        Assert.Equal("POST /webhooks/{application_id}/{token}", exception.Route);
        Assert.True(harness.Logs.Entries.Count(line => line.Level == LogLevel.Warning) >= 2, "the 429 and the 502 should both have been logged");
        var everything = exception.ToString() + string.Join("\n", harness.Logs.Entries.Select(line => $"{line.Category} {line.Message} {line.Values} {line.Exception}"));
        foreach (var secret in new[] { interaction.Token, unknownToken, FakeDiscord.BotToken })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("/webhooks/" + FakeDiscord.ApplicationId + "/", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateMessageAsync_BurstOf200AcrossChannels_NoInvalidRequests()
    {
        await using var harness = await RestHarness.StartAsync();
        // Discord's 50/s global limit would make 200 sends last four seconds; both sides scale it up together
        // so the test stays fast while per-channel buckets (10 per 250 ms) still force plenty of waiting.
        harness.Fake.GlobalRequestsPerSecond = 500;
        harness.Services.GetRequiredService<DiscordRateLimiter>().GlobalRequestsPerSecond = 450;
        harness.Fake.SetRouteLimit("POST", "/channels/", 10, TimeSpan.FromMilliseconds(250));
        string[] channels = [RestHarness.ChannelId, "1000000000000000003", "1000000000000000004", "1000000000000000005"];
        foreach (var channel in channels)
        {
            harness.Fake.AddChannel(channel, RestHarness.GuildId);
        }

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            harness.Client.CreateMessageAsync(channels[i % channels.Length], RestHarness.TextMessage("burst " + i.ToString(CultureInfo.InvariantCulture)), CancellationToken.None)));

        Assert.All(channels, channel => Assert.Equal(50, harness.Fake.Messages(channel).Count));
        Assert.Equal(0, harness.Fake.InvalidRequestCount);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public async Task GetChannelMessagesAsync_60DistinctBuckets_StaysUnderDiscordsGlobalLimit()
    {
        await using var harness = await RestHarness.StartAsync();
        var channels = Enumerable.Range(10, 60).Select(i => "10000000000000000" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var channel in channels)
        {
            harness.Fake.AddChannel(channel, RestHarness.GuildId);
        }

        await Task.WhenAll(channels.Select(channel => harness.Client.GetChannelMessagesAsync(channel, 1, CancellationToken.None)));

        Assert.True(harness.Fake.Requests.Count == 60, harness.Fake.DescribeState());
        Assert.Equal(0, harness.Fake.InvalidRequestCount);
        Assert.Empty(harness.Fake.Problems);
    }

    private static JsonObject SlashCommand() =>
        InteractionPayloads.SlashCommand("explain", [("topic", 3, "recursion")], guildId: RestHarness.GuildId, channelId: RestHarness.ChannelId);
}
