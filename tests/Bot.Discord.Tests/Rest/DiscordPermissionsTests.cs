using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.Rest;

/// <summary>
/// The permission computation the doctor relies on, fed by what the REST client reads from a fake guild, checked
/// against the fake's own computation (written from Discord's documentation separately) and the documented cases.
/// </summary>
public sealed class DiscordPermissionsTests
{
    private const string Guild = RestHarness.GuildId;
    private const string Channel = RestHarness.ChannelId;

    public static TheoryData<string> Scenarios => [.. Arrange.Keys];

    private static readonly Dictionary<string, (Action<FakeDiscord> Setup, ulong Expected)> Arrange = new(StringComparer.Ordinal)
    {
        ["defaults"] = (_ => { }, FakePermissions.EveryoneDefault | FakePermissions.BotRoleDefault),
        ["role allow beats @everyone deny"] = (fake =>
        {
            fake.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, 0, FakePermissions.ViewChannel | FakePermissions.SendMessages);
            fake.SetChannelOverwrite(Channel, fake.BotRoleId(Guild), FakeDiscord.RoleOverwrite, FakePermissions.ViewChannel, 0);
        }, (FakePermissions.EveryoneDefault | FakePermissions.BotRoleDefault) & ~FakePermissions.SendMessages),
        ["one role's allow beats another role's deny"] = (fake =>
        {
            var muted = fake.AddRole(Guild, "muted", 0);
            fake.SetChannelOverwrite(Channel, muted, FakeDiscord.RoleOverwrite, 0, FakePermissions.SendMessages);
            fake.SetChannelOverwrite(Channel, fake.BotRoleId(Guild), FakeDiscord.RoleOverwrite, FakePermissions.SendMessages, 0);
        }, FakePermissions.EveryoneDefault | FakePermissions.BotRoleDefault),
        ["member deny beats role allow"] = (fake =>
        {
            fake.SetChannelOverwrite(Channel, fake.BotRoleId(Guild), FakeDiscord.RoleOverwrite, FakePermissions.SendMessages, 0);
            fake.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, 0, FakePermissions.SendMessages);
        }, (FakePermissions.EveryoneDefault | FakePermissions.BotRoleDefault) & ~FakePermissions.SendMessages),
        ["nothing at guild level, member allow in the channel"] = (fake =>
        {
            fake.SetEveryonePermissions(Guild, 0);
            fake.SetBotRolePermissions(Guild, 0);
            fake.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, FakePermissions.ViewChannel | FakePermissions.SendMessages, 0);
        }, FakePermissions.ViewChannel | FakePermissions.SendMessages),
        ["administrator ignores overwrites"] = (fake =>
        {
            fake.AddRole(Guild, "admin", FakePermissions.Administrator);
            fake.SetChannelOverwrite(Channel, FakeDiscord.BotUserId, FakeDiscord.MemberOverwrite, 0, FakePermissions.All);
        }, FakePermissions.All),
        ["an unassigned role's overwrite does not apply"] = (fake =>
        {
            var other = fake.AddRole(Guild, "other", 0, assignToBot: false);
            fake.SetChannelOverwrite(Channel, other, FakeDiscord.RoleOverwrite, 0, FakePermissions.ViewChannel);
        }, FakePermissions.EveryoneDefault | FakePermissions.BotRoleDefault),
        ["the owner has everything"] = (fake =>
        {
            fake.SetGuildOwner(Guild, FakeDiscord.BotUserId);
            fake.SetChannelOverwrite(Channel, Guild, FakeDiscord.RoleOverwrite, 0, FakePermissions.All);
        }, FakePermissions.All),
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task InChannel_ReadFromTheApi_AgreesWithDiscordsRules(string scenario)
    {
        await using var harness = await RestHarness.StartAsync();
        var (setup, expected) = Arrange[scenario];
        setup(harness.Fake);

        var channel = await harness.Client.GetChannelAsync(Channel, CancellationToken.None);
        var guild = await harness.Client.GetGuildAsync(Guild, CancellationToken.None);
        var member = await harness.Client.GetGuildMemberAsync(Guild, FakeDiscord.BotUserId, CancellationToken.None);
        var computed = DiscordPermissions.InChannel(guild, member.Roles ?? [], FakeDiscord.BotUserId, channel);

        Assert.Equal(expected, computed & FakePermissions.All);
        Assert.Equal(harness.Fake.BotPermissionsIn(Channel), computed & FakePermissions.All);
        Assert.Empty(harness.Fake.Problems);
    }

    [Fact]
    public void Describe_NamesTheBitsTheDailyQuizNeeds()
    {
        Assert.Equal("VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, READ_MESSAGE_HISTORY", DiscordPermissions.Describe(DiscordPermissions.DailyQuizNeeds));
        Assert.Equal(FakePermissions.DailyQuizNeeds, DiscordPermissions.DailyQuizNeeds);
    }
}
