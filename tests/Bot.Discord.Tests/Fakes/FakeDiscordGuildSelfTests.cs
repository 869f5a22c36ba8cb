using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// Proves the fake's guild model: the shapes of GET /users/@me, /channels/{id}, /guilds/{id}, its roles and members;
/// the bot's channel permissions computed as Discord's docs define them and enforced on the channel routes; and the
/// Date header with <see cref="FakeDiscord.ClockOffset"/>.
/// </summary>
public sealed class FakeDiscordGuildSelfTests
{
    private const string Guild = "1000000000000000001";
    private const string Channel = "1000000000000000002";
    private const string UserAgent = "DiscordBot (https://example.org/tutor-bot, 1.0) selftest";
    private const string Hello = """{ "content": "hello" }""";

    [Fact]
    public async Task CurrentUser_ReturnsTheBotUser()
    {
        await using var discord = await FakeDiscord.StartAsync();
        using var client = Client(discord);

        using var response = await client.GetAsync(new Uri("users/@me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await Json(response);
        Assert.Equal(FakeDiscord.BotUserId, (string?)user["id"]);
        Assert.Equal("tutor-bot", (string?)user["username"]);
        Assert.Matches("^[0-9]{4}$", (string?)user["discriminator"]);
        Assert.True((bool?)user["bot"]);
        Assert.True(user.AsObject().ContainsKey("global_name"));
        Assert.Null(user["global_name"]);
        Assert.True(user.AsObject().ContainsKey("avatar"));
        Assert.Empty(discord.Problems);
    }

    [Fact]
    public async Task CurrentUser_WithAWrongToken_Returns401Code0()
    {
        await using var discord = await FakeDiscord.StartAsync();
        using var client = Client(discord, token: "not-the-token");

        using var response = await client.GetAsync(new Uri("users/@me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("401: Unauthorized", (string?)body["message"]);
        Assert.Equal(0, (int?)body["code"]);
        Assert.Equal(1, discord.InvalidRequestCount);
    }

    [Fact]
    public async Task GetChannel_ReturnsAGuildTextChannelWithItsOverwritesAsStrings()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        discord.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, allow: FakePermissions.EmbedLinks, deny: FakePermissions.MentionEveryone);
        using var client = Client(discord);

        var channel = await Json(await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative)));
        var posted = await Json(await Post(client, $"channels/{Channel}/messages", Hello));
        var again = await Json(await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative)));

        Assert.Equal(Channel, (string?)channel["id"]);
        Assert.Equal(0, (int?)channel["type"]);
        Assert.Equal(Guild, (string?)channel["guild_id"]);
        Assert.False(string.IsNullOrEmpty((string?)channel["name"]));
        Assert.Equal(0, (int?)channel["position"]);
        Assert.Null(channel["parent_id"]);
        Assert.False((bool?)channel["nsfw"]);
        Assert.Null(channel["last_message_id"]);
        var overwrite = Assert.Single(channel["permission_overwrites"]!.AsArray())!;
        Assert.Equal(Guild, (string?)overwrite["id"]);
        Assert.Equal(0, (int?)overwrite["type"]);
        Assert.Equal("16384", (string?)overwrite["allow"]);
        Assert.Equal("131072", (string?)overwrite["deny"]);
        Assert.Equal((string?)posted["id"], (string?)again["last_message_id"]);
        Assert.Empty(discord.Problems);
    }

    [Fact]
    public async Task GetChannel_Unknown_Returns404Code10003()
    {
        await using var discord = await FakeDiscord.StartAsync();
        using var client = Client(discord);

        using var response = await client.GetAsync(new Uri("channels/1000000000000000099", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(10003, (int?)(await Json(response))["code"]);
    }

    [Fact]
    public async Task GetGuild_HasAPersonAsOwnerAndRolesWithStringPermissions()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        using var client = Client(discord);

        var guild = await Json(await client.GetAsync(new Uri($"guilds/{Guild}", UriKind.Relative)));
        var roles = await Json(await client.GetAsync(new Uri($"guilds/{Guild}/roles", UriKind.Relative)));

        Assert.Equal(Guild, (string?)guild["id"]);
        Assert.Equal(FakeDiscord.GuildOwnerId, (string?)guild["owner_id"]);
        Assert.NotEqual(FakeDiscord.BotUserId, (string?)guild["owner_id"]);
        Assert.Equal(guild["roles"]!.ToJsonString(), roles.ToJsonString());
        Assert.Equal(2, roles.AsArray().Count);
        var everyone = roles.AsArray().Single(r => (string?)r!["id"] == Guild)!;
        Assert.Equal("@everyone", (string?)everyone["name"]);
        Assert.Equal("49794752", (string?)everyone["permissions"]);
        Assert.Equal(0, (int?)everyone["position"]);
        Assert.False((bool?)everyone["managed"]);
        var botRole = roles.AsArray().Single(r => (string?)r!["id"] == discord.BotRoleId(Guild))!;
        Assert.True((bool?)botRole["managed"]);
        Assert.Equal(FakeDiscord.BotUserId, (string?)botRole["tags"]!["bot_id"]);
        Assert.Equal("84992", (string?)botRole["permissions"]);
        Assert.Empty(discord.Problems);
    }

    [Fact]
    public async Task GetGuildMember_TheBotHasItsRolesAndAStrangerIsUnknown()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        var quizRole = discord.AddRole(Guild, "quiz", FakePermissions.AddReactions);
        discord.AddRole(Guild, "not the bot's", FakePermissions.Administrator, assignToBot: false);
        using var client = Client(discord);

        var bot = await Json(await client.GetAsync(new Uri($"guilds/{Guild}/members/{FakeDiscord.BotUserId}", UriKind.Relative)));
        var owner = await Json(await client.GetAsync(new Uri($"guilds/{Guild}/members/{FakeDiscord.GuildOwnerId}", UriKind.Relative)));
        using var stranger = await client.GetAsync(new Uri($"guilds/{Guild}/members/900000000000000001", UriKind.Relative));

        Assert.Equal(FakeDiscord.BotUserId, (string?)bot["user"]!["id"]);
        Assert.True((bool?)bot["user"]!["bot"]);
        Assert.Equal(new string?[] { discord.BotRoleId(Guild), quizRole }, bot["roles"]!.AsArray().Select(r => (string?)r));
        Assert.True(DateTimeOffset.TryParse((string?)bot["joined_at"], CultureInfo.InvariantCulture, out _));
        Assert.Equal(FakeDiscord.GuildOwnerId, (string?)owner["user"]!["id"]);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        Assert.Equal(10007, (int?)(await Json(stranger))["code"]);
    }

    [Fact]
    public async Task BotRemovedFromGuild_GuildRoutesAre10004AndItsChannels50001()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        discord.RemoveBotFromGuild(Guild);
        using var client = Client(discord);

        using var guild = await client.GetAsync(new Uri($"guilds/{Guild}", UriKind.Relative));
        using var roles = await client.GetAsync(new Uri($"guilds/{Guild}/roles", UriKind.Relative));
        using var member = await client.GetAsync(new Uri($"guilds/{Guild}/members/{FakeDiscord.BotUserId}", UriKind.Relative));
        using var neverExisted = await client.GetAsync(new Uri("guilds/1000000000000000055", UriKind.Relative));
        using var channel = await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative));
        using var post = await Post(client, $"channels/{Channel}/messages", Hello);

        foreach (var response in new[] { guild, roles, member, neverExisted })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(10004, (int?)(await Json(response))["code"]);
        }

        foreach (var response in new[] { channel, post })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(50001, (int?)(await Json(response))["code"]);
        }

        Assert.Equal(0UL, discord.BotPermissionsIn(Channel));
        discord.AddGuild(Guild);
        using var back = await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    [Fact]
    public async Task CanSendFalse_IsADenyOnTheBotRole_SoPostingIs50013WhileTheChannelStaysReadable()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild, canSend: false);
        discord.AddExistingMessage(Channel, new JsonObject { ["content"] = "earlier" });
        using var client = Client(discord);

        using var post = await Post(client, $"channels/{Channel}/messages", Hello);
        var channel = await Json(await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative)));
        var history = await Json(await client.GetAsync(new Uri($"channels/{Channel}/messages?limit=10", UriKind.Relative)));
        discord.AddChannel(Channel, Guild, canSend: true);
        using var afterwards = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        var error = await Json(post);
        Assert.Equal(50013, (int?)error["code"]);
        Assert.Equal("Missing Permissions", (string?)error["message"]);
        var overwrite = Assert.Single(channel["permission_overwrites"]!.AsArray())!;
        Assert.Equal(discord.BotRoleId(Guild), (string?)overwrite["id"]);
        Assert.Equal(0, (int?)overwrite["type"]);
        Assert.Equal("2048", (string?)overwrite["deny"]);
        Assert.Equal("0", (string?)overwrite["allow"]);
        Assert.Single(history.AsArray());
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(2, discord.Messages(Channel).Count);
        Assert.Single(discord.Problems);
    }

    [Fact]
    public async Task GuildOwner_HasEveryPermissionWhateverTheRolesAndOverwrites()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        discord.SetEveryonePermissions(Guild, 0);
        discord.SetBotRolePermissions(Guild, 0);
        discord.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, allow: 0, deny: FakePermissions.All);
        using var client = Client(discord);

        using var asMember = await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative));
        discord.SetGuildOwner(Guild, FakeDiscord.BotUserId);
        using var asOwner = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(HttpStatusCode.Forbidden, asMember.StatusCode);
        Assert.Equal(FakePermissions.All, discord.BotPermissionsIn(Channel));
        Assert.Equal(HttpStatusCode.OK, asOwner.StatusCode);
    }

    [Fact]
    public async Task Administrator_BypassesChannelOverwrites()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        discord.SetEveryonePermissions(Guild, 0);
        discord.SetBotRolePermissions(Guild, FakePermissions.Administrator);
        discord.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.ViewChannel | FakePermissions.SendMessages);
        discord.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, allow: 0, deny: FakePermissions.All);
        using var client = Client(discord);

        using var post = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(FakePermissions.All, discord.BotPermissionsIn(Channel));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task EveryoneDenyOnTheChannel_IsOverriddenByAnAllowOnTheBotsRole()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        discord.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.ViewChannel | FakePermissions.SendMessages);
        using var client = Client(discord);

        using var hidden = await Post(client, $"channels/{Channel}/messages", Hello);
        discord.SetChannelOverwrite(Channel, discord.BotRoleId(Guild), FakeDiscord.RoleOverwrite, allow: FakePermissions.ViewChannel | FakePermissions.SendMessages, deny: 0);
        using var allowed = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(50001, (int?)(await Json(hidden))["code"]);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(FakePermissions.EveryoneDefault | FakePermissions.BotRoleDefault, discord.BotPermissionsIn(Channel));
    }

    [Fact]
    public async Task RoleOverwrites_CombineBeforeApplying_SoOneRolesAllowBeatsAnothersDeny()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        // The allowing role comes first, so applying each role's overwrite in turn (wrong) would end in the deny.
        var helper = discord.AddRole(Guild, "helper", 0);
        var muted = discord.AddRole(Guild, "muted", 0);
        var notTheBots = discord.AddRole(Guild, "others", 0, assignToBot: false);
        discord.SetChannelOverwrite(Channel, muted, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.SendMessages);
        discord.SetChannelOverwrite(Channel, notTheBots, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.ViewChannel);
        using var client = Client(discord);

        using var whileMuted = await Post(client, $"channels/{Channel}/messages", Hello);
        discord.SetChannelOverwrite(Channel, helper, FakeDiscord.RoleOverwrite, allow: FakePermissions.SendMessages, deny: 0);
        using var withHelper = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(50013, (int?)(await Json(whileMuted))["code"]);
        Assert.Equal(HttpStatusCode.OK, withHelper.StatusCode);
    }

    [Fact]
    public async Task MemberOverwrite_WinsOverRoleOverwrites()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        var role = discord.BotRoleId(Guild);
        using var client = Client(discord);

        discord.SetChannelOverwrite(Channel, role, FakeDiscord.RoleOverwrite, allow: FakePermissions.SendMessages, deny: 0);
        discord.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, allow: 0, deny: FakePermissions.SendMessages);
        using var denied = await Post(client, $"channels/{Channel}/messages", Hello);
        discord.SetChannelOverwrite(Channel, role, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.SendMessages);
        discord.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, allow: FakePermissions.SendMessages, deny: 0);
        using var allowed = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(50013, (int?)(await Json(denied))["code"]);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task WithoutViewChannel_TheChannelAndItsMessagesAre403Code50001()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        var seeded = discord.AddExistingMessage(Channel, new JsonObject { ["content"] = "earlier" });
        discord.SetEveryonePermissions(Guild, FakePermissions.EveryoneDefault & ~FakePermissions.ViewChannel);
        discord.SetBotRolePermissions(Guild, FakePermissions.SendMessages | FakePermissions.EmbedLinks | FakePermissions.ReadMessageHistory);
        using var client = Client(discord);

        using var channel = await client.GetAsync(new Uri($"channels/{Channel}", UriKind.Relative));
        using var post = await Post(client, $"channels/{Channel}/messages", Hello);
        using var list = await client.GetAsync(new Uri($"channels/{Channel}/messages", UriKind.Relative));
        using var one = await client.GetAsync(new Uri($"channels/{Channel}/messages/{seeded.Id}", UriKind.Relative));

        foreach (var response in new[] { channel, post, list, one })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = await Json(response);
            Assert.Equal(50001, (int?)error["code"]);
            Assert.Equal("Missing Access", (string?)error["message"]);
        }

        Assert.Equal(0UL, discord.BotPermissionsIn(Channel) & FakePermissions.ViewChannel);
        Assert.Equal(4, discord.Problems.Count);
        Assert.Single(discord.Messages(Channel));
    }

    [Fact]
    public async Task WithoutReadMessageHistory_ListingReturnsNoMessagesAndGettingOneIs50001()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        var seeded = discord.AddExistingMessage(Channel, new JsonObject { ["content"] = "earlier" });
        discord.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.ReadMessageHistory);
        discord.SetChannelOverwrite(Channel, discord.BotRoleId(Guild), FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.ReadMessageHistory);
        using var client = Client(discord);

        using var list = await client.GetAsync(new Uri($"channels/{Channel}/messages?limit=50", UriKind.Relative));
        var listed = await Json(list);
        var problemsAfterListing = discord.Problems.Count;
        using var one = await client.GetAsync(new Uri($"channels/{Channel}/messages/{seeded.Id}", UriKind.Relative));
        using var post = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Empty(listed.AsArray());
        Assert.Equal(0, problemsAfterListing);
        Assert.Equal(HttpStatusCode.Forbidden, one.StatusCode);
        Assert.Equal(50001, (int?)(await Json(one))["code"]);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task WithoutEmbedLinks_AnEmbedIsStillPostedAndNothingIsRecorded()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        discord.SetChannelOverwrite(Channel, discord.BotRoleId(Guild), FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.EmbedLinks);
        discord.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.EmbedLinks);
        using var client = Client(discord);

        using var post = await Post(client, $"channels/{Channel}/messages", """{ "embeds": [ { "title": "Daily quiz" } ] }""");

        Assert.Equal(0UL, discord.BotPermissionsIn(Channel) & FakePermissions.EmbedLinks);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Empty(discord.Problems);
    }

    [Fact]
    public async Task EveryResponse_CarriesADateHeaderFromTheFakesClock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T07:05:05.678Z", CultureInfo.InvariantCulture));
        await using var discord = await FakeDiscord.StartAsync(time);
        using var client = Client(discord);
        using var unauthorized = Client(discord, token: "wrong");

        using var ok = await client.GetAsync(new Uri("users/@me", UriKind.Relative));
        using var notFound = await client.GetAsync(new Uri("channels/1000000000000000099", UriKind.Relative));
        using var refused = await unauthorized.GetAsync(new Uri("gateway/bot", UriKind.Relative));

        foreach (var response in new[] { ok, notFound, refused })
        {
            Assert.Equal("Mon, 07 Dec 2026 07:05:05 GMT", RawDate(response));
        }
    }

    [Fact]
    public async Task ClockOffset_MovesTheDateHeaderAndRateLimitResetButNotResetAfter()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-07T07:05:05.678Z", CultureInfo.InvariantCulture));
        await using var discord = await FakeDiscord.StartAsync(time);
        discord.AddChannel(Channel, Guild);
        discord.SetRouteLimit("POST", "/channels/", 5, TimeSpan.FromSeconds(2));
        using var client = Client(discord);

        discord.ClockOffset = TimeSpan.FromSeconds(-90);
        using var behind = await Post(client, $"channels/{Channel}/messages", Hello);
        discord.ClockOffset = TimeSpan.FromHours(3);
        using var ahead = await client.GetAsync(new Uri("users/@me", UriKind.Relative));
        using var aheadPost = await Post(client, $"channels/{Channel}/messages", Hello);

        Assert.Equal("Mon, 07 Dec 2026 07:03:35 GMT", RawDate(behind));
        Assert.Equal("Mon, 07 Dec 2026 10:05:05 GMT", RawDate(ahead));
        var bucketReset = time.GetUtcNow() + TimeSpan.FromSeconds(2);
        Assert.Equal((bucketReset - TimeSpan.FromSeconds(90)).ToUnixTimeMilliseconds() / 1000.0, ResetHeader(behind), precision: 3);
        Assert.Equal((bucketReset + TimeSpan.FromHours(3)).ToUnixTimeMilliseconds() / 1000.0, ResetHeader(aheadPost), precision: 3);
        Assert.Equal("2.000", Header(aheadPost, "X-RateLimit-Reset-After"));
        Assert.Empty(discord.Problems);
    }

    private static HttpClient Client(FakeDiscord discord, string token = FakeDiscord.BotToken)
    {
        var client = new HttpClient { BaseAddress = discord.ApiBaseUrl };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", token);
        return client;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private static string? RawDate(HttpResponseMessage response) => Header(response, "Date");

    private static double ResetHeader(HttpResponseMessage response) =>
        double.Parse(Header(response, "X-RateLimit-Reset")!, CultureInfo.InvariantCulture);
}
