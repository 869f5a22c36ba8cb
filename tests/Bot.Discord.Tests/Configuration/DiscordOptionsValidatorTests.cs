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
}
