using System.Net;
using System.Text.Json.Nodes;
using Bot.Discord.Tests.EndToEnd;
using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.Fuzz;

/// <summary>
/// Validly signed interactions, mutated: every kind the bot answers (commands with their options,
/// autocomplete, buttons, menus, pings) with values of other kinds, fields removed or added, text that
/// is huge, empty, full of control characters or a lone surrogate, and JSON cut short. Whatever
/// arrives, the bot answers with a 2xx or a 4xx, never a 5xx, logs no error, and every answer it gives
/// is within Discord's limits and pings nobody. Seeded, so a failure names the case to replay.
/// </summary>
public class InteractionFuzzTests(HttpServeFixture fixture) : IClassFixture<HttpServeFixture>
{
    private const int Mutations = 600;

    private static readonly Func<JsonObject>[] Templates =
    [
        () => InteractionPayloads.SlashCommand("explain", [("topic", 3, "closures"), ("section", 3, "example")]),
        () => InteractionPayloads.SlashCommand("quiz", [("topic", 3, "generators")]),
        () => InteractionPayloads.SlashCommand("regex-test", [("pattern", 3, @"(\w+)@(\w+)"), ("text", 3, "ann@ex bob@ey"), ("mode", 3, "findall")]),
        () => InteractionPayloads.SlashCommand("stats", []),
        () => InteractionPayloads.SlashCommand("leaderboard", []),
        () => InteractionPayloads.SlashCommand("help", []),
        () => InteractionPayloads.Autocomplete("explain", "topic", "clo"),
        () => InteractionPayloads.ButtonClick("explain:closures", "1000000000000000099"),
        () => InteractionPayloads.ButtonClick("quiz:answer:1:0", "1000000000000000099"),
        () => InteractionPayloads.SelectMenuChoice("menu:0", "explain:generators", "1000000000000000099"),
        () => InteractionPayloads.Ping(),
    ];

    [Theory]
    [InlineData(20261207)]
    public async Task MutatedSignedInteractions_NeverGetA5xxAnErrorLogOrAnAnswerOutsideTheLimits(int seed)
    {
        var mutations = new JsonMutations(seed);
        var random = new Random(seed);
        var logBefore = fixture.Server.Log.Length;
        var serverErrors = new List<string>();
        for (var attempt = 0; attempt < Mutations; attempt++)
        {
            var interaction = fixture.Discord.NewInteraction(Templates[random.Next(Templates.Length)]());
            var body = mutations.Mutate(interaction.Payload);
            using var response = await fixture.Signer.SendAsync(fixture.Server.Http, fixture.Server.InteractionsUrl(), body);
            var answer = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                serverErrors.Add($"case {attempt} ({(int)response.StatusCode}): {body[..Math.Min(body.Length, 300)]}");
            }
            else if (response.StatusCode == HttpStatusCode.OK)
            {
                fixture.Signer.RecordInlineResponse(fixture.Discord, interaction.Id, 200, answer, response.Content.Headers.ContentType?.MediaType);
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var errors = fixture.Server.Log[logBefore..].Split('\n').Where(line => line.Contains(" ERR]", StringComparison.Ordinal) || line.Contains(" FTL]", StringComparison.Ordinal)).ToList();
        Assert.True(serverErrors.Count == 0, string.Join('\n', serverErrors));
        Assert.True(errors.Count == 0, string.Join('\n', errors.Take(10)));
        Assert.True(fixture.Discord.Problems.Count == 0, string.Join('\n', fixture.Discord.Problems.Take(10)));
        Assert.Empty(fixture.Discord.Pings);
    }
}
