using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary><c>bot doctor</c> run as an operator runs it, against a fake Discord set up the way a real server can be wrong.</summary>
public sealed class DoctorTests
{
    private const string Guild = "810000000000000001";
    private const string Channel = "820000000000000001";

    [Fact]
    public async Task Doctor_EverythingRight_PassesEachCheckAndExitsZero()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        var environment = DiscordServe.Environment(discord, "Http", new InteractionSigner());
        AddTarget(environment, 0, Guild, Channel);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"[ok]   Discord bot token: accepted: the bot is {FakeDiscord.BotUsername}#{FakeDiscord.BotDiscriminator}", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Discord application: Tutor (" + FakeDiscord.ApplicationId + "); Discord__ApplicationId and Discord__PublicKey match it.", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Discord gateway:", stdout, StringComparison.Ordinal);
        Assert.Contains($"[ok]   Discord daily channel {Channel}: #channel-{Channel} in Fake guild {Guild}: the bot may view, post, embed and read history there.", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Discord clock: within", stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Slack: not configured", stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 failed, 1 skipped.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeDiscord.BotToken, stdout + stderr, StringComparison.Ordinal);
        Assert.Empty(discord.Problems);
    }

    /// <summary>Each thing a server owner or operator gets wrong is found in the same run, with its key and its fix.</summary>
    [Fact]
    public async Task Doctor_EveryProblemAtOnce_NamesEachWithItsFixAndExitsOne()
    {
        await using var discord = await FakeDiscord.StartAsync();
        const string muted = "820000000000000002", missing = "820000000000000003", otherGuild = "810000000000000002", elsewhere = "820000000000000004";
        const string left = "810000000000000003", unseen = "820000000000000005";
        discord.AddChannel(muted, Guild, canSend: false);
        discord.SetChannelOverwrite(muted, Guild, FakeDiscord.RoleOverwrite, allow: 0, deny: FakePermissions.EmbedLinks);
        discord.AddChannel(elsewhere, otherGuild);
        discord.AddChannel(unseen, left);
        discord.RemoveBotFromGuild(left);
        discord.Shards = 3;
        discord.ClockOffset = TimeSpan.FromMinutes(-7);
        var environment = DiscordServe.Environment(discord, "Http", new InteractionSigner());
        environment["Discord__ApplicationId"] = "1100000000000000999";
        AddTarget(environment, 0, Guild, muted);
        AddTarget(environment, 1, Guild, missing);
        AddTarget(environment, 2, Guild, elsewhere);
        AddTarget(environment, 3, left, unseen);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.True(exitCode == 1, stdout + stderr);
        Assert.Contains("[FAIL] Discord application: Discord__ApplicationId is 1100000000000000999, but the bot token belongs to application Tutor (" + FakeDiscord.ApplicationId + ")", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: set Discord__ApplicationId to " + FakeDiscord.ApplicationId + ".", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Discord daily channel {muted}: the bot lacks SEND_MESSAGES, EMBED_LINKS in #channel-{muted}", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Discord daily channel {missing}: there is no channel {missing}.", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: set DailyQuiz__Targets__1__Channel to the channel's id", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Discord daily channel {elsewhere}: channel {elsewhere} is in server {otherGuild}, but DailyQuiz__Targets__2__Workspace is {Guild}.", stdout, StringComparison.Ordinal);
        Assert.Contains($"fix: set DailyQuiz__Targets__2__Workspace to {otherGuild}.", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Discord daily channel {unseen}: the bot cannot see channel {unseen}", stdout, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(stdout, @"\[FAIL\] Discord clock: this machine's clock is (6 min 5\d|7 min \d) s ahead of Discord.s"), stdout);
        Assert.Contains(" 6 failed,", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_WrongPublicKeyAndTooFewShards_SaysWhichValuesDiscordExpects()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.Shards = 3;
        var otherKey = new InteractionSigner(new byte[32]);
        var environment = DiscordServe.Environment(discord, "Http", otherKey);

        var (httpExit, httpOut, _) = await BotProcess.RunAsync(["doctor"], environment: environment);
        environment["Discord__Transport"] = "Gateway";
        var (gatewayExit, gatewayOut, _) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.Equal(1, httpExit);
        Assert.Contains("[FAIL] Discord application: Discord__PublicKey is not the public key of application Tutor", httpOut, StringComparison.Ordinal);
        Assert.Contains("fix: set Discord__PublicKey to " + discord.VerifyKey, httpOut, StringComparison.Ordinal);
        Assert.Contains("[ok]   Discord gateway: answers", httpOut, StringComparison.Ordinal);
        Assert.Equal(1, gatewayExit);
        Assert.Contains("[ok]   Discord application: Tutor (" + FakeDiscord.ApplicationId + "); Discord__ApplicationId matches it.", gatewayOut, StringComparison.Ordinal);
        Assert.Contains("[FAIL] Discord gateway: Discord asks for 3 shards, and this bot runs 1.", gatewayOut, StringComparison.Ordinal);
        Assert.Contains("fix: set Discord__ShardCount to 3", gatewayOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_TokenRefused_NamesTheKeyAndSkipsWhatNeedsIt()
    {
        await using var discord = await FakeDiscord.StartAsync();
        discord.AddChannel(Channel, Guild);
        var environment = DiscordServe.Environment(discord, "Gateway");
        environment["Discord__BotToken"] = "MTEwMDAwMDAwMDAwMDAwMDAwMA.wrong.token";
        AddTarget(environment, 0, Guild, Channel);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.Equal(1, exitCode);
        Assert.Contains("[FAIL] Discord bot token: Discord refused the bot token (401 Unauthorized).", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: set Discord__BotToken to the token from the Developer Portal's Bot page", stdout, StringComparison.Ordinal);
        Assert.Contains($"[skip] Discord daily channel {Channel}: needs a working bot token.", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Discord clock:", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong.token", stdout + stderr, StringComparison.Ordinal);
    }

    private static void AddTarget(Dictionary<string, string> environment, int index, string guild, string channel)
    {
        var key = $"DailyQuiz__Targets__{index}__";
        environment[key + "Platform"] = "Discord";
        environment[key + "Workspace"] = guild;
        environment[key + "Channel"] = channel;
    }
}
