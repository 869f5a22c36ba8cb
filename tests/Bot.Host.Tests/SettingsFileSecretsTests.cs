using Microsoft.Extensions.Configuration;

namespace Bot.Host.Tests;

public class SettingsFileSecretsTests
{
    [Fact]
    public void Find_TokensFromTheEnvironment_AreFine()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Discord:BotToken", "t"), new("Slack:AppToken", "xapp-1")]).Build();

        Assert.Empty(SettingsFileSecrets.Find(configuration));
    }

    [Fact]
    public void Find_TokensInASettingsFile_AreEachNamedWithWhereTheyBelong()
    {
        var directory = Directory.CreateTempSubdirectory("bot-settings-");
        File.WriteAllText(Path.Combine(directory.FullName, "appsettings.json"),
            """{"Discord":{"BotToken":"fake-discord-bot-token"},"Slack":{"SigningSecret":"fake-signing-secret"},"Content":{"Path":"content"}}""");
        var configuration = new ConfigurationBuilder().SetBasePath(directory.FullName).AddJsonFile("appsettings.json").Build();

        var problems = SettingsFileSecrets.Find(configuration);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("Discord:BotToken is in appsettings.json", StringComparison.Ordinal) && problem.Contains("Discord__BotToken", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Slack:SigningSecret is in appsettings.json", StringComparison.Ordinal) && problem.Contains("/run/secrets/Slack__SigningSecret", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, problem => problem.Contains("fake-", StringComparison.Ordinal));
        directory.Delete(recursive: true);
    }

    [Fact]
    public void Find_PostgresConnectionStringInASettingsFile_IsNamedWithWhereItBelongs()
    {
        var directory = Directory.CreateTempSubdirectory("bot-settings-");
        File.WriteAllText(Path.Combine(directory.FullName, "appsettings.json"),
            """{"Storage":{"Provider":"Postgres"},"ConnectionStrings":{"Postgres":"Host=db;Username=bot;Password=fake-password"}}""");
        var configuration = new ConfigurationBuilder().SetBasePath(directory.FullName).AddJsonFile("appsettings.json").Build();

        var problem = Assert.Single(SettingsFileSecrets.Find(configuration));

        Assert.StartsWith("ConnectionStrings:Postgres is in appsettings.json, which is not a place for secrets", problem, StringComparison.Ordinal);
        Assert.Contains("set the environment variable ConnectionStrings__Postgres, or a file /run/secrets/ConnectionStrings__Postgres", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-password", problem, StringComparison.Ordinal);
        directory.Delete(recursive: true);
    }
}
