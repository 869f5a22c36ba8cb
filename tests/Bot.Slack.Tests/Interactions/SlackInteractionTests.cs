using System.Text.Json;
using Bot.Slack.Interactions;
using Bot.Slack.Tests.Fakes;

namespace Bot.Slack.Tests.Interactions;

public class SlackInteractionTests
{
    private static readonly Uri ResponseUrl = new("https://hooks.slack.invalid/actions/T1/1/abc");

    [Fact]
    public void FromJson_ButtonClick_IsTheButtonsActionId()
    {
        var interaction = Parse(SlackPayloads.BlockAction("quiz:next", "quiz:next", "1700000000.000100", ResponseUrl));

        Assert.Equal("quiz:next", interaction.ActionId);
    }

    [Fact]
    public void FromJson_MenuChoice_IsTheChosenOptionsValueNotTheMenusId()
    {
        var interaction = Parse(SlackPayloads.MenuChoice("menu:1", "Closures", "explain:closures", "1700000000.000100", ResponseUrl));

        Assert.Equal("explain:closures", interaction.ActionId);
        Assert.Equal("block_actions", interaction.Type);
    }

    private static SlackInteraction Parse(System.Text.Json.Nodes.JsonObject payload) =>
        SlackInteraction.FromJson(JsonDocument.Parse(payload.ToJsonString()).RootElement);
}
