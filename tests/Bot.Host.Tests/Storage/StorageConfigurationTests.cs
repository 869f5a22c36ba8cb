namespace Bot.Host.Tests.Storage;

/// <summary>Storage settings the bot refuses at start (exit 3), each message naming the key and the fix; no server needed.</summary>
public class StorageConfigurationTests
{
    [Fact]
    public async Task Start_UnknownProvider_ExitsThreeNamingTheKeyAndTheChoices()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/stats\n", new Dictionary<string, string> { ["Storage__Provider"] = "Mysql" });

        Assert.Equal(3, exitCode);
        Assert.Contains("Configuration error: Storage:Provider is 'Mysql', which is not a storage provider: set it to Sqlite (the default, a file at Storage:Path) or Postgres", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresWithoutAConnectionString_ExitsThreeSayingWhereToPutIt()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/stats\n", new Dictionary<string, string> { ["Storage__Provider"] = "Postgres" });

        Assert.Equal(3, exitCode);
        Assert.Contains("Storage:Provider is Postgres but ConnectionStrings:Postgres is not set: set the environment variable ConnectionStrings__Postgres, or write a file /run/secrets/ConnectionStrings__Postgres", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ConnectionStringThatIsNotOne_ExitsThreeWithoutQuotingIt()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/stats\n", new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["ConnectionStrings__Postgres"] = "postgres://bot:hunter2-secret@db/bot",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("Configuration error: ConnectionStrings:Postgres cannot be used: it is not a PostgreSQL connection string", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
    }
}
