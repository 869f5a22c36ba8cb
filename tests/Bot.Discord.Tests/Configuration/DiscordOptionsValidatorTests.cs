namespace Bot.Discord.Tests.Configuration;

public class DiscordOptionsValidatorTests
{
    [Fact]
    public void Validate_TokenAndApplicationId_Pass() =>
        Assert.True(new DiscordOptionsValidator().Validate(null, new DiscordOptions { BotToken = "fake-discord-bot-token", ApplicationId = "1100000000000000000" }).Succeeded);

    [Theory]
    [InlineData(0, 2, true)]
    [InlineData(2, 2, false)]
    [InlineData(-1, 2, false)]
    public void Validate_Shards_MustBeWithinTheCount(int shard, int count, bool valid)
    {
        var options = new DiscordOptions { BotToken = "t", ApplicationId = "1100000000000000000", ShardId = shard, ShardCount = count };

        Assert.Equal(valid, new DiscordOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_RetryFirstDelayOutOfRange_FailsNamingTheKey()
    {
        var options = new DiscordOptions { BotToken = "t", ApplicationId = "1100000000000000000", Retry = { FirstDelay = TimeSpan.FromMinutes(2) } };

        var result = new DiscordOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, failure => failure.StartsWith("Discord:Retry:FirstDelay must be from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_AnswerWithinPastTheDeadline_ExitsWithCode3NamingTheKey()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Discord__BotToken"] = "fake-discord-bot-token",
            ["Discord__ApplicationId"] = "1100000000000000000",
            ["Discord__AnswerWithin"] = "00:00:03",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("Discord:AnswerWithin must be from", stderr, StringComparison.Ordinal);
    }
}
