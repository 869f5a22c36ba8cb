using Bot.Slack.Tests.Fakes;

namespace Bot.Slack.Tests.EndToEnd;

/// <summary><c>bot doctor</c> run as an operator runs it, against a fake Slack whose app is set up wrongly in each way Slack allows.</summary>
public sealed class DoctorTests
{
    private const string Channel = "C0DAILY01";

    [Fact]
    public async Task Doctor_EverythingRight_PassesEachCheckAndExitsZero()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AddChannel(Channel);
        var environment = Environment(slack);
        AddTarget(environment, 0, FakeSlack.TeamId, Channel);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"[ok]   Configuration: valid: Slack over Socket Mode and HTTP; 1 daily-quiz target(s).", stdout, StringComparison.Ordinal);
        Assert.Contains($"[ok]   Slack bot token: accepted: the bot is tutor in Fake School ({FakeSlack.TeamId}).", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Slack bot scopes: granted commands, chat:write, channels:history, groups:history.", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Slack Socket Mode: the app-level token may open a connection", stdout, StringComparison.Ordinal);
        Assert.Contains($"[ok]   Slack daily channel {Channel}: the bot is in the channel", stdout, StringComparison.Ordinal);
        Assert.Contains("[ok]   Slack clock: within", stdout, StringComparison.Ordinal);
        Assert.Contains(" 0 failed, 1 skipped.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSlack.BotToken, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSlack.AppToken, stdout + stderr, StringComparison.Ordinal);
        Assert.Empty(slack.Problems);
    }

    [Fact]
    public async Task Doctor_EveryProblemAtOnce_NamesEachWithItsFixAndExitsOne()
    {
        await using var slack = await FakeSlack.StartAsync();
        const string notJoined = "C0OUTSIDE1", hidden = "G0PRIVATE1", unknown = "C0NOWHERE1", elsewhere = "C0OTHER001";
        slack.AddChannel(notJoined, botIsMember: false);
        slack.AddChannel(hidden, botIsMember: false, isPrivate: true);
        slack.AddChannel(elsewhere);
        slack.GrantedBotScopes = ["commands", "chat:write", "channels:history"];
        slack.AppTokenRevoked = true;
        slack.ClockOffset = TimeSpan.FromMinutes(9);
        var environment = Environment(slack);
        AddTarget(environment, 0, FakeSlack.TeamId, notJoined);
        AddTarget(environment, 1, FakeSlack.TeamId, hidden);
        AddTarget(environment, 2, FakeSlack.TeamId, unknown);
        AddTarget(environment, 3, "T0ELSEWHERE", elsewhere);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.True(exitCode == 1, stdout + stderr);
        Assert.Contains("[FAIL] Slack bot scopes: the bot token lacks groups:history (granted: commands, chat:write, channels:history).", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: add them under OAuth & Permissions, Bot Token Scopes", stdout, StringComparison.Ordinal);
        Assert.Contains("[FAIL] Slack Socket Mode: Slack refused the token (invalid_auth).", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: set Slack__AppToken to an app-level token (xapp-…) with the connections:write scope", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Slack daily channel {notJoined}: the bot is not a member of channel {notJoined}", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: invite it: type /invite @tutor in the channel.", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Slack daily channel {hidden}: Slack knows no channel {hidden} that the bot can see", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Slack daily channel {unknown}: Slack knows no channel {unknown}", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: set DailyQuiz__Targets__2__Channel to the channel's id", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Slack daily channel {elsewhere}: DailyQuiz__Targets__3__Workspace is T0ELSEWHERE, but the bot token is of workspace {FakeSlack.TeamId}.", stdout, StringComparison.Ordinal);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(stdout, @"\[FAIL\] Slack clock: this machine's clock is (8 min 5\d|9 min \d) s behind Slack's"), stdout);
        Assert.Contains(" 7 failed,", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_BotTokenRevoked_NamesTheKeyAndSkipsWhatNeedsIt()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AddChannel(Channel);
        slack.BotTokenRevoked = true;
        var environment = Environment(slack);
        environment.Remove("Slack__AppToken");
        AddTarget(environment, 0, FakeSlack.TeamId, Channel);

        var (exitCode, stdout, _) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.Equal(1, exitCode);
        Assert.Contains("[FAIL] Slack bot token: Slack refused the token (account_inactive).", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: set Slack__BotToken to the Bot User OAuth Token (xoxb-…)", stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Slack bot scopes: needs a working bot token.", stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Slack Socket Mode: not used: no Slack__AppToken", stdout, StringComparison.Ordinal);
        Assert.Contains($"[skip] Slack daily channel {Channel}: needs a working bot token.", stdout, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Environment(FakeSlack slack) => new()
    {
        ["Slack__BotToken"] = FakeSlack.BotToken,
        ["Slack__AppToken"] = FakeSlack.AppToken,
        ["Slack__SigningSecret"] = FakeSlack.SigningSecret,
        ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        ["Content__Watch"] = "false",
    };

    private static void AddTarget(Dictionary<string, string> environment, int index, string team, string channel)
    {
        var key = $"DailyQuiz__Targets__{index}__";
        environment[key + "Platform"] = "Slack";
        environment[key + "Workspace"] = team;
        environment[key + "Channel"] = channel;
    }
}
