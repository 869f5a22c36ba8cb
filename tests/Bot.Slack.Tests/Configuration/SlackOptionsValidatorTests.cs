namespace Bot.Slack.Tests.Configuration;

public class SlackOptionsValidatorTests
{
    [Theory]
    [InlineData("xoxb-1", "xapp-1", null)]
    [InlineData("xoxb-1", null, "secret")]
    [InlineData("xoxb-1", "xapp-1", "secret")]
    public void Validate_BotTokenAndAWayToReceiveCommands_Passes(string bot, string? app, string? secret) =>
        Assert.True(new SlackOptionsValidator().Validate(null, new SlackOptions { BotToken = bot, AppToken = app, SigningSecret = secret }).Succeeded);

    [Theory]
    [InlineData("xapp-1", "xapp-1", null, "Slack:BotToken must be the Bot User OAuth Token (xoxb-…)")]
    [InlineData("xoxb-1", "xoxb-2", null, "Slack:AppToken must be an app-level token (xapp-…)")]
    [InlineData("xoxb-1", null, null, "Slack needs a way to receive commands: set Slack__AppToken")]
    public void Validate_WrongTokenKindsOrNoWayIn_FailNamingTheFix(string bot, string? app, string? secret, string message)
    {
        var result = new SlackOptionsValidator().Validate(null, new SlackOptions { BotToken = bot, AppToken = app, SigningSecret = secret });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_SlackWithoutAWayIn_ExitsWithCode3()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Slack__BotToken"] = "xoxb-not-real",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("Slack needs a way to receive commands", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-not-real", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RetriesOutOfRange_ExitsWithCode3NamingTheKey()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Slack__BotToken"] = "xoxb-not-real",
            ["Slack__AppToken"] = "xapp-1",
            ["Slack__Retry__MaxRetries"] = "40",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("Slack:Retry:MaxRetries must be from 0 to 10 (got 40)", stderr, StringComparison.Ordinal);
    }
}
