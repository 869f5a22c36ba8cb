using Microsoft.Extensions.Configuration;

namespace Bot.Discord.Tests.Configuration;

public class DiscordOptionsValidatorTests
{
    private static readonly DiscordOptions Valid = new() { BotToken = "fake-discord-bot-token", ApplicationId = "1100000000000000000" };

    [Fact]
    public void Validate_TokenFromTheEnvironment_Passes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Discord:BotToken", "fake-discord-bot-token")]).Build();

        Assert.True(new DiscordOptionsValidator(configuration).Validate(null, Valid).Succeeded);
    }

    [Fact]
    public void Validate_TokenInASettingsFile_FailsAndSaysWhereItBelongs()
    {
        var directory = Directory.CreateTempSubdirectory("bot-settings-");
        File.WriteAllText(Path.Combine(directory.FullName, "appsettings.json"), """{"Discord":{"BotToken":"fake-discord-bot-token"}}""");
        var configuration = new ConfigurationBuilder().SetBasePath(directory.FullName).AddJsonFile("appsettings.json").Build();

        var result = new DiscordOptionsValidator(configuration).Validate(null, Valid);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("appsettings.json, which is not a place for secrets", failure, StringComparison.Ordinal);
        Assert.Contains("Discord__BotToken", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-discord-bot-token", failure, StringComparison.Ordinal);
        directory.Delete(recursive: true);
    }

    [Theory]
    [InlineData(0, 2, true)]
    [InlineData(2, 2, false)]
    [InlineData(-1, 2, false)]
    public void Validate_Shards_MustBeWithinTheCount(int shard, int count, bool valid)
    {
        var options = new DiscordOptions { BotToken = "t", ApplicationId = "1100000000000000000", ShardId = shard, ShardCount = count };

        Assert.Equal(valid, new DiscordOptionsValidator(new ConfigurationBuilder().Build()).Validate(null, options).Succeeded);
    }
}
