using System.Text.Json.Nodes;
using Bot.Slack.Tests.Fakes;
using Bot.Tests.Contracts;

namespace Bot.Slack.Tests.EndToEnd;

/// <summary>The shared adapter contract, played through Socket Mode against the fake Slack.</summary>
public sealed class SlackAdapterContractTests(SlackServeFixture fixture) : AdapterContract, IClassFixture<SlackServeFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Dictionary<string, string> _questions = [];

    private FakeSlack Slack => fixture.Slack;

    private protected override IReadOnlyList<string> Pings => [.. Slack.Pings.Select(ping => ping.Mention)];

    private protected override IReadOnlyList<string> Problems => Slack.Problems;

    private protected override async Task<ContractAnswer> CommandAsync(string command, string text, string user)
    {
        await Slack.SocketMode.WaitForConnectionAsync(Patience);
        var envelope = await Slack.SocketMode.SendEnvelopeAsync("slash_commands",
            SlackPayloads.SlashCommandJson("/" + command, text, Slack.NewResponseUrl(SlackServeFixture.Channel), userId: user));
        var reply = (await Slack.SocketMode.WaitForAckAsync(envelope, Patience)).Payload!.AsObject();
        if (reply["response_type"]?.GetValue<string>() == "in_channel")
        {
            // An in_channel acknowledgement becomes a message in the channel; its buttons are pressed there.
            _questions[user] = Slack.AddUserMessage(SlackServeFixture.Channel, user, reply["text"]!.GetValue<string>());
        }

        return Answer(reply);
    }

    private protected override async Task<ContractAnswer> PressAsync(string buttonId, string user, string asker)
    {
        var question = _questions[asker];
        var responseUrl = Slack.NewResponseUrl(SlackServeFixture.Channel, user, originalTs: question);
        await Slack.SocketMode.SendEnvelopeAsync("interactive", SlackPayloads.BlockAction(buttonId, buttonId, question, responseUrl, userId: user));
        await Slack.WaitForAsync(fake => fake.ResponsePosts(responseUrl).Count > 0, Patience);
        return Answer(Slack.ResponsePosts(responseUrl)[0].Body!);
    }

    private protected override async Task<ContractAnswer> ChooseAsync(string value, string user, string asker)
    {
        var message = _questions[asker];
        var responseUrl = Slack.NewResponseUrl(SlackServeFixture.Channel, user, originalTs: message);
        await Slack.SocketMode.SendEnvelopeAsync("interactive", SlackPayloads.MenuChoice("menu:1", value, value, message, responseUrl, userId: user));
        await Slack.WaitForAsync(fake => fake.ResponsePosts(responseUrl).Count > 0, Patience);
        return Answer(Slack.ResponsePosts(responseUrl)[0].Body!);
    }

    private protected override async Task<string> DailyPostAfterRevealAsync()
    {
        await Slack.WaitForAsync(fake => fake.Messages(SlackServeFixture.Channel).Any(post => post.Metadata is not null && post.EditCount > 0), TimeSpan.FromSeconds(40));
        return ContractAnswer.AllText(Slack.Messages(SlackServeFixture.Channel).Single(post => post.Metadata is not null).Current);
    }

    private static ContractAnswer Answer(JsonObject message)
    {
        var replaced = message["replace_original"]?.GetValue<bool>() == true;
        var buttons = message["blocks"]?.AsArray()
            .Where(block => block!["type"]!.GetValue<string>() == "actions")
            .SelectMany(block => block!["elements"]!.AsArray())
            .Select(button => button!["action_id"]!.GetValue<string>()) ?? [];
        var menuOptions = message["blocks"]?.AsArray()
            .Select(block => block!["accessory"])
            .Where(accessory => accessory?["type"]?.GetValue<string>() == "static_select")
            .SelectMany(select => select!["option_groups"]!.AsArray())
            .SelectMany(group => group!["options"]!.AsArray())
            .Select(option => option!["value"]!.GetValue<string>()) ?? [];
        return new ContractAnswer(
            Private: !replaced && message["response_type"]?.GetValue<string>() != "in_channel",
            ReplacedOriginal: replaced,
            ContractAnswer.AllText(message),
            [.. buttons],
            [.. menuOptions]);
    }
}
