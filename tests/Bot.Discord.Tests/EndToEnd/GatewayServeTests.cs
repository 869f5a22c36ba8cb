using System.Text.Json.Nodes;
using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary><c>bot serve</c> in gateway mode (the default): interactions arrive over the fake gateway and are answered by callback.</summary>
public class GatewayServeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Serve_GatewayInteractions_AreAnsweredByCallbackAndSigtermExitsCleanly()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        discord.GatewayUrl = gateway.Url;
        await using var server = await BotServer.StartAsync(DiscordServe.Environment(discord, "Gateway"));
        await server.WaitUntilReadyAsync(Patience);

        var explain = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures")]));
        await gateway.DispatchAsync("INTERACTION_CREATE", explain.Payload);
        var answered = await discord.WaitForInitialResponseAsync(explain.Id, Patience);

        Assert.Equal("callback", answered.InitialVia);
        Assert.Equal("Closures", answered.Original!["embeds"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(0, await server.TerminateAsync(Patience));
        Assert.Contains(1000, gateway.ClientCloseCodes.OfType<int>());
        Assert.Empty(discord.Problems);
        Assert.Empty(gateway.Problems);
        Assert.DoesNotContain(FakeDiscord.BotToken, server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(explain.Token, server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InteractionsDuringTwentyFourDisconnects_AreEachAnsweredExactlyOnce()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var gateway = await FakeGateway.StartAsync();
        discord.GatewayUrl = gateway.Url;
        await using var server = await BotServer.StartAsync(DiscordServe.Environment(discord, "Gateway"));
        await server.WaitUntilReadyAsync(Patience);

        var sent = new List<FakeInteraction>();
        for (var round = 0; round < 24; round++)
        {
            for (var index = 0; index < 4; index++)
            {
                var interaction = discord.NewInteraction(InteractionPayloads.SlashCommand("explain", [("topic", 3, index % 2 == 0 ? "generators" : "gil")], userId: $"90000000000000{round:D2}{index:D2}"));
                sent.Add(interaction);
                await gateway.DispatchAsync("INTERACTION_CREATE", interaction.Payload);
            }

            var resumesBefore = gateway.Resumes;
            switch (round % 4)
            {
                case 0:
                    gateway.Abort();
                    break;
                case 1:
                    await gateway.CloseAsync(4000);
                    break;
                case 2:
                    await gateway.SendReconnectAsync();
                    break;
                default:
                    await gateway.SendInvalidSessionAsync(resumable: true);
                    break;
            }

            // Two interactions land while the bot is away: Discord keeps them for the resume's replay.
            for (var index = 0; index < 2; index++)
            {
                var interaction = discord.NewInteraction(InteractionPayloads.SlashCommand("help", [], userId: $"91000000000000{round:D2}{index:D2}"));
                sent.Add(interaction);
                await gateway.DispatchAsync("INTERACTION_CREATE", interaction.Payload);
            }

            await gateway.WaitForAsync(fake => fake.Resumes > resumesBefore && fake.IsLive, Patience);
        }

        await discord.WaitForAsync(fake => sent.All(interaction => interaction.InitialResponse is not null), Patience);
        Assert.All(sent, interaction => Assert.Equal(0, interaction.RejectedResponses));
        Assert.Equal(sent.Count, discord.Requests.Count(request => request.Path.EndsWith("/callback", StringComparison.Ordinal)));
        Assert.Equal(1, gateway.Identifies);
        Assert.True(discord.Problems.Count == 0, string.Join("\n", discord.Problems));
        Assert.True(gateway.Problems.Count == 0, string.Join("\n", gateway.Problems));
        var metrics = await server.Http.GetStringAsync(new Uri(server.BaseUrl, "/metrics"));
        var reconnects = metrics.Split('\n').Single(line => line.StartsWith("tutor_reconnects_total{", StringComparison.Ordinal) && line.Contains("platform=\"discord\"", StringComparison.Ordinal));
        Assert.True(double.Parse(reconnects[(reconnects.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 24, reconnects);
    }
}
