using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.Fakes;

/// <summary>What the fake serves for the checks a doctor makes against Slack: granted scopes, token validity, channel access and the clock.</summary>
public sealed class FakeSlackDoctorSelfTests : IAsyncLifetime
{
    private const string Channel = SlackPayloads.DefaultChannelId;
    private const string PrivateChannel = "C0PRIVATE1";

    private static readonly HttpClient Http = new();
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _clock = null!;
    private FakeSlack _slack = null!;

    public async Task InitializeAsync()
    {
        _clock = new FakeTimeProvider(Start);
        _slack = await FakeSlack.StartAsync(_clock);
        _slack.AddChannel(Channel);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task AuthTest_BotToken_XOAuthScopesListsTheGrantedScopesAndNoAcceptedScopes()
    {
        using var response = await PostFormAsync("auth.test", []);

        Assert.Equal("commands,chat:write,channels:history,groups:history", Header(response, "X-OAuth-Scopes"));
        Assert.Null(Header(response, "X-Accepted-OAuth-Scopes"));
        Assert.True((bool)(await ReadAsync(response))["ok"]!);
    }

    [Fact]
    public async Task GrantedBotScopes_Changed_HeaderFollowsInTheGivenOrder()
    {
        _slack.GrantedBotScopes = ["chat:write", "commands"];

        using var response = await PostFormAsync("auth.test", []);

        Assert.Equal("chat:write,commands", Header(response, "X-OAuth-Scopes"));
    }

    [Theory]
    [InlineData("chat.postMessage", "chat:write")]
    [InlineData("conversations.history", "channels:history,groups:history,im:history,mpim:history")]
    public async Task Call_BotToken_XAcceptedOAuthScopesNamesTheMethodsScopes(string method, string accepted)
    {
        using var response = await PostFormAsync(method, new() { ["channel"] = Channel, ["text"] = "hi" });

        Assert.Equal(accepted, Header(response, "X-Accepted-OAuth-Scopes"));
        Assert.Equal("commands,chat:write,channels:history,groups:history", Header(response, "X-OAuth-Scopes"));
        Assert.True((bool)(await ReadAsync(response))["ok"]!);
    }

    [Fact]
    public async Task PostMessage_ChatWriteNotGranted_MissingScopeWithNeededAndProvided()
    {
        _slack.GrantedBotScopes = ["commands", "channels:history", "groups:history"];

        using var response = await PostFormAsync("chat.postMessage", new() { ["channel"] = Channel, ["text"] = "hi" });
        var result = await ReadAsync(response);

        Assert.Equal(
            (false, "missing_scope", "chat:write", "commands,channels:history,groups:history"),
            ((bool)result["ok"]!, (string?)result["error"], (string?)result["needed"], (string?)result["provided"]));
        Assert.Equal("commands,channels:history,groups:history", Header(response, "X-OAuth-Scopes"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(_slack.Messages(Channel));
        Assert.Empty(_slack.Problems);
    }

    [Theory]
    [InlineData(false, "channels:history", "channels:history")]
    [InlineData(true, "groups:history", "groups:history")]
    [InlineData(true, "channels:history", null)]
    [InlineData(false, "groups:history", null)]
    public async Task ConversationsHistory_ScopeOfTheChannelsType_RequiredAndNoOther(bool isPrivate, string removed, string? needed)
    {
        const string Target = "C0TARGET01";
        _slack.AddChannel(Target, botIsMember: true, isPrivate: isPrivate);
        _slack.GrantedBotScopes = FakeSlack.ManifestBotScopes.Where(s => s != removed).ToArray();

        var result = await CallFormAsync("conversations.history", new() { ["channel"] = Target, ["limit"] = "1" });

        if (needed is null)
        {
            Assert.True((bool)result["ok"]!);
        }
        else
        {
            Assert.Equal(("missing_scope", needed), ((string?)result["error"], (string?)result["needed"]));
            Assert.Equal(string.Join(',', _slack.GrantedBotScopes), (string?)result["provided"]);
        }

        Assert.Empty(_slack.Problems);
    }

    [Theory]
    [InlineData("C0UNKNOWN1", false, false, "channel_not_found")]
    [InlineData("C0OUTSIDE1", false, false, "not_in_channel")]
    [InlineData(PrivateChannel, true, false, "channel_not_found")]
    [InlineData(PrivateChannel, true, true, null)]
    public async Task ConversationsHistory_ChannelAccess_AnswersWhatSlackAnswersABotToken(string channel, bool isPrivate, bool botIsMember, string? error)
    {
        _slack.AddChannel("C0OUTSIDE1", botIsMember: false);
        _slack.AddChannel(PrivateChannel, botIsMember, isPrivate);

        var result = await CallFormAsync("conversations.history", new() { ["channel"] = channel, ["limit"] = "1" });

        Assert.Equal(error is null, (bool)result["ok"]!);
        Assert.Equal(error, (string?)result["error"]);
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task PostMessage_PrivateChannelBotIsNotIn_ChannelNotFound()
    {
        _slack.AddChannel(PrivateChannel, botIsMember: false, isPrivate: true);

        var result = await CallFormAsync("chat.postMessage", new() { ["channel"] = PrivateChannel, ["text"] = "hi" });

        Assert.Equal("channel_not_found", (string?)result["error"]);
        Assert.Empty(_slack.Messages(PrivateChannel));
    }

    [Fact]
    public async Task AddChannel_ExistingPrivateChannelWithoutIsPrivate_StaysPrivate()
    {
        _slack.AddChannel(PrivateChannel, botIsMember: true, isPrivate: true);
        _slack.AddChannel(PrivateChannel, botIsMember: false);

        var result = await CallFormAsync("conversations.history", new() { ["channel"] = PrivateChannel });

        Assert.Equal("channel_not_found", (string?)result["error"]);
    }

    [Fact]
    public async Task AppsConnectionsOpen_AppToken_ReportsConnectionsWriteScope()
    {
        using var response = await PostFormAsync("apps.connections.open", [], FakeSlack.AppToken);

        Assert.Equal(FakeSlack.AppTokenScope, Header(response, "X-OAuth-Scopes"));
        Assert.True((bool)(await ReadAsync(response))["ok"]!);
        Assert.Equal(1, _slack.SocketMode.Opens);
    }

    [Fact]
    public async Task AppsConnectionsOpen_BotTokenInsteadOfAppToken_NotAllowedTokenTypeWithoutScopes()
    {
        using var response = await PostFormAsync("apps.connections.open", [], FakeSlack.BotToken);

        Assert.Equal("not_allowed_token_type", (string?)(await ReadAsync(response))["error"]);
        Assert.Null(Header(response, "X-OAuth-Scopes"));
        Assert.Equal(0, _slack.SocketMode.Opens);
    }

    [Theory]
    [InlineData(true, FakeSlack.AppToken)]
    [InlineData(false, "xapp-wrong")]
    public async Task AppsConnectionsOpen_RevokedOrWrongAppToken_InvalidAuth(bool revoked, string token)
    {
        _slack.AppTokenRevoked = revoked;

        using var response = await PostFormAsync("apps.connections.open", [], token);

        Assert.Equal("invalid_auth", (string?)(await ReadAsync(response))["error"]);
        Assert.Null(Header(response, "X-OAuth-Scopes"));
        Assert.Equal(0, _slack.SocketMode.Opens);
        Assert.Equal(revoked, _slack.Problems.Count == 0);
    }

    [Theory]
    [InlineData("auth.test")]
    [InlineData("conversations.history")]
    [InlineData("chat.postMessage")]
    public async Task BotTokenRevoked_EveryCall_AccountInactiveWithoutScopes(string method)
    {
        _slack.BotTokenRevoked = true;

        using var response = await PostFormAsync(method, new() { ["channel"] = Channel, ["text"] = "hi" });

        Assert.Equal("account_inactive", (string?)(await ReadAsync(response))["error"]);
        Assert.Null(Header(response, "X-OAuth-Scopes"));
        Assert.Empty(_slack.Messages(Channel));
        Assert.Empty(_slack.Problems);
    }

    [Fact]
    public async Task BotTokenRevoked_AppTokenStillOpensSocketMode()
    {
        _slack.BotTokenRevoked = true;

        var result = await CallFormAsync("apps.connections.open", [], FakeSlack.AppToken);

        Assert.True((bool)result["ok"]!);
    }

    [Fact]
    public async Task DateHeader_WebApi_IsTheFakesClockInRfc1123()
    {
        _clock.Advance(TimeSpan.FromSeconds(7));

        using var response = await PostFormAsync("auth.test", []);

        Assert.Equal("Sun, 01 Mar 2026 12:00:07 GMT", Header(response, "Date"));
        Assert.Equal(Start.AddSeconds(7), response.Headers.Date);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(-90)]
    public async Task DateHeader_ClockOffset_ShiftsSlacksClockOnly(int offsetSeconds)
    {
        _slack.ClockOffset = TimeSpan.FromSeconds(offsetSeconds);
        var url = _slack.NewResponseUrl(Channel, "U0STUDENT1");

        using var api = await PostFormAsync("auth.test", []);
        using var hook = await Http.PostAsync(url, new StringContent("{\"text\":\"hi\"}", Encoding.UTF8, "application/json"));
        using var missing = await Http.GetAsync(new Uri(_slack.BaseAddress, "nowhere"));

        var expected = Start.AddSeconds(offsetSeconds);
        Assert.Equal(expected, api.Headers.Date);
        Assert.Equal(expected, hook.Headers.Date);
        Assert.Equal(expected, missing.Headers.Date);
        Assert.Equal(expected, _slack.SlackNow);
        Assert.Equal(Start, Assert.Single(_slack.Requests, r => r.ApiMethod == "auth.test").At);
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private async Task<JsonObject> CallFormAsync(string method, Dictionary<string, string> form, string token = FakeSlack.BotToken)
    {
        using var response = await PostFormAsync(method, form, token);
        return await ReadAsync(response);
    }

    private async Task<HttpResponseMessage> PostFormAsync(string method, Dictionary<string, string> form, string token = FakeSlack.BotToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_slack.ApiBaseUrl, method));
        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }
}
