using System.Text.Json.Nodes;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Tests.Contracts;
using Bot.Discord.Tests.Fakes;

namespace Bot.Discord.Tests.EndToEnd;

/// <summary>The shared adapter contract, played through Discord's HTTP interactions against the fake Discord.</summary>
public sealed class DiscordAdapterContractTests(HttpServeFixture fixture) : AdapterContract, IClassFixture<HttpServeFixture>
{
    private readonly Dictionary<string, string> _questions = [];

    private protected override IReadOnlyList<string> Pings => [.. fixture.Discord.Pings.Select(ping => ping.Mention)];

    private protected override IReadOnlyList<string> Problems => fixture.Discord.Problems;

    private protected override async Task<ContractAnswer> CommandAsync(string command, string text, string user)
    {
        (string, int, JsonNode)[] options = CommandText.Parse(command, text) switch
        {
            ParsedRequest { Request: RegexTestRequest regex } => [("pattern", 3, regex.Pattern), ("text", 3, regex.Text)],
            _ => [("topic", 3, text)],
        };
        var interaction = await fixture.SendAsync(InteractionPayloads.SlashCommand(command, options, userId: user));
        _questions[user] = interaction.Original?["id"]?.GetValue<string>() ?? interaction.Id;
        return Answer(interaction);
    }

    private protected override async Task<ContractAnswer> PressAsync(string buttonId, string user, string asker) =>
        Answer(await fixture.SendAsync(InteractionPayloads.ButtonClick(buttonId, _questions[asker], userId: user)));

    private protected override async Task<ContractAnswer> ChooseAsync(string value, string user, string asker) =>
        Answer(await fixture.SendAsync(InteractionPayloads.SelectMenuChoice("menu:1", value, _questions[asker], userId: user)));

    private protected override async Task<string> DailyPostAfterRevealAsync()
    {
        await fixture.Discord.WaitForAsync(discord => discord.Messages(HttpServeFixture.DailyChannel).Any(post => post.EditCount > 0), TimeSpan.FromSeconds(40));
        return ContractAnswer.AllText(fixture.Discord.Messages(HttpServeFixture.DailyChannel).Single().Current);
    }

    private static ContractAnswer Answer(FakeInteraction interaction)
    {
        var response = interaction.InitialResponse!;
        var data = response["data"];
        var components = data?["components"]?.AsArray().SelectMany(row => row!["components"]!.AsArray()).ToList() ?? [];
        var buttons = components.Where(component => component!["type"]!.GetValue<int>() == 2).Select(button => button!["custom_id"]!.GetValue<string>());
        var menuOptions = components.Where(component => component!["type"]!.GetValue<int>() == 3)
            .SelectMany(select => select!["options"]!.AsArray())
            .Select(option => option!["value"]!.GetValue<string>());
        return new ContractAnswer(
            Private: ((data?["flags"]?.GetValue<int>() ?? 0) & 64) != 0,
            ReplacedOriginal: response["type"]!.GetValue<int>() == 7,
            ContractAnswer.AllText(data),
            [.. buttons],
            [.. menuOptions]);
    }
}
