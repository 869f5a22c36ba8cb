using System.Net;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary>How <c>bot serve</c> starts, reports readiness, refuses bad configuration and stops.</summary>
public class ServeLifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_InvalidDiscordSettings_ExitsWithCode3NamingEachKeyAndItsFix()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Discord__BotToken"] = "Bot abc",
            ["Discord__ApplicationId"] = "my-bot",
            ["Discord__Transport"] = "Http",
            ["Discord__GuildIds__0"] = "general",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("Discord:BotToken starts with 'Bot '", stderr, StringComparison.Ordinal);
        Assert.Contains("Discord:ApplicationId must be the application's numeric id", stderr, StringComparison.Ordinal);
        Assert.Contains("Discord:PublicKey must be the 64-character hex Public Key", stderr, StringComparison.Ordinal);
        Assert.Contains("Discord:GuildIds has 'general'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Bot abc", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UnknownTransport_ExitsWithCode3NamingTheKey()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["Discord__BotToken"] = "fake-discord-bot-token",
            ["Discord__ApplicationId"] = "1100000000000000000",
            ["Discord__Transport"] = "Websocket",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("'Websocket' at 'Discord:Transport'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoVerb_WithADiscordToken_ServesAndBotHealthSeesIt()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        discord.GatewayUrl = gateway.Url;
        var environment = DiscordServe.Environment(discord, "Gateway");
        environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        await using var server = await BotServer.StartWithoutVerbAsync(environment);
        await server.WaitUntilReadyAsync(Patience);

        var (live, liveOutput, _) = await BotProcess.RunAsync(["health", "--url", server.BaseUrl.ToString()]);
        var (ready, readyOutput, _) = await BotProcess.RunAsync(["health", "--ready", "--url", server.BaseUrl.ToString()]);

        Assert.Equal(0, live);
        Assert.Equal("Healthy", JsonNode.Parse(liveOutput)!["status"]!.GetValue<string>());
        Assert.Equal(0, ready);
        Assert.Equal("Healthy", JsonNode.Parse(readyOutput)!["checks"]!["discord"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task BotHealth_NothingListening_ExitsWith1()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["health", "--url", "http://127.0.0.1:9"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("did not answer", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// The course is read while the other services start; one that turns out invalid stops the start before the
    /// gateway is reached, since Discord counts session starts per day (a container restarting in a loop).
    /// </summary>
    [Fact]
    public async Task Serve_InvalidContent_ExitsWithoutReachingTheGateway()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        discord.GatewayUrl = gateway.Url;
        var environment = DiscordServe.Environment(discord, "Gateway");
        environment["Content__Path"] = RepoPaths.Fixture(Path.Combine("broken", "duplicate-alias"));

        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], environment: environment);

        Assert.Equal(1, exitCode);
        Assert.Contains("duplicate alias 'LEGB rule'", stderr, StringComparison.Ordinal);
        Assert.Equal(0, gateway.Connections);
        Assert.Equal(0, gateway.Identifies);
    }

    [Fact]
    public async Task Readyz_GatewayRejectsTheToken_Is503AndSaysWhatToFix()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        gateway.CloseAfterIdentifyWith = 4004;
        discord.GatewayUrl = gateway.Url;
        await using var server = await BotServer.StartAsync(DiscordServe.Environment(discord, "Gateway"));

        await gateway.WaitForAsync(fake => fake.ServerCloseCodes.Contains(4004), Patience);
        var (status, body) = await ReadyzAsync(server);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body["checks"]!["discord"]!["status"]!.GetValue<string>());
        Assert.Contains("Discord__BotToken", body["checks"]!["discord"]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Healthy", body["checks"]!["content"]!["status"]!.GetValue<string>());
        Assert.Equal(1, gateway.Identifies);
        Assert.Equal(1, gateway.Connections);
    }

    [Fact]
    public async Task SlowCommand_IsDeferredThenEdited_AndSigtermWaitsForTheEdit()
    {
        await using var discord = await FakeDiscord.StartAsync();
        var signer = new InteractionSigner();
        var environment = DiscordServe.Environment(discord, "Http", signer);
        // A catastrophic pattern with a generous budget runs for about 2 s: longer than the bot waits before deferring.
        environment["RegexTest__MaxSteps"] = "100000000";
        environment["RegexTest__Timeout"] = "00:00:02";
        await using var server = await BotServer.StartAsync(environment);
        await server.WaitUntilReadyAsync(Patience);

        var slow = discord.NewInteraction(InteractionPayloads.SlashCommand("regex-test", [("pattern", 3, "(a+)+$"), ("text", 3, new string('a', 40) + "!")]));
        using var response = await signer.SendAndRecordAsync(discord, server.Http, server.InteractionsUrl(), slow);
        Assert.Equal(5, slow.InitialResponse!["type"]!.GetValue<int>());
        Assert.True(slow.IsStillLoading);

        Assert.Equal(0, await server.TerminateAsync(Patience));

        Assert.False(slow.IsStillLoading);
        Assert.Contains("catastrophic", slow.Original!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(discord.Problems.Count == 0, string.Join("\n", discord.Problems));
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyzAsync(BotServer server)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await server.Http.GetAsync(new Uri(server.BaseUrl, "/readyz"));
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (body["checks"]?["discord"]?["detail"]?.GetValue<string>()?.Contains("4004", StringComparison.Ordinal) == true || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(50);
        }
    }
}
