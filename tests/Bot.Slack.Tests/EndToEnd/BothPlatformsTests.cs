using System.Net;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;
using Bot.Slack.Tests.Fakes;

namespace Bot.Slack.Tests.EndToEnd;

/// <summary>The one <c>docker run</c> of the README: Discord and Slack served by one process, stopped by SIGTERM.</summary>
public class BothPlatformsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_DiscordAndSlackTogether_AnswerBothAndExitCleanlyOnSigterm()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        await using var slack = await FakeSlack.StartAsync();
        discord.GatewayUrl = gateway.Url;
        slack.AddChannel("C0GENERAL1");
        await using var server = await BotServer.StartAsync(new Dictionary<string, string>
        {
            ["Discord__BotToken"] = FakeDiscord.BotToken,
            ["Discord__ApplicationId"] = FakeDiscord.ApplicationId,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Slack__BotToken"] = FakeSlack.BotToken,
            ["Slack__AppToken"] = FakeSlack.AppToken,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Content__Watch"] = "false",
        });
        await server.WaitUntilReadyAsync(Patience);

        using var ready = await server.Http.GetAsync(new Uri(server.BaseUrl, "/readyz"));
        var checks = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["checks"]!;
        var explain = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
        await gateway.DispatchAsync("INTERACTION_CREATE", explain.Payload);
        var envelope = await slack.SocketMode.SendEnvelopeAsync("slash_commands",
            SlackPayloads.SlashCommandJson("/explain", "gil", slack.NewResponseUrl("C0GENERAL1")));
        var answered = await discord.WaitForInitialResponseAsync(explain.Id, Patience);
        var ack = await slack.SocketMode.WaitForAckAsync(envelope, Patience);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", checks["discord"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", checks["slack"]!["status"]!.GetValue<string>());
        Assert.Equal("Closures", answered.Original!["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Contains("Global Interpreter Lock", ack.Payload!["text"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await server.TerminateAsync(Patience));
        Assert.Contains(1000, gateway.ClientCloseCodes.OfType<int>());
        Assert.Empty(discord.Problems);
        Assert.Empty(gateway.Problems);
        Assert.True(slack.Problems.Count == 0, string.Join("\n", slack.Problems));
    }
}
