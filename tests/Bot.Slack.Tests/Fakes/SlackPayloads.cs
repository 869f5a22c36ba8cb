using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

/// <summary>Realistic payloads Slack sends to an app (protocol brief sections 2, 3 and 6.1), built for tests.</summary>
public static class SlackPayloads
{
    /// <summary>The student every payload comes from unless a test says otherwise.</summary>
    public const string DefaultUserId = "U0STUDENT1";

    /// <summary>The channel every payload comes from unless a test says otherwise.</summary>
    public const string DefaultChannelId = "C0GENERAL1";

    /// <summary>The deprecated verification token Slack still puts in payloads.</summary>
    public const string VerificationToken = "fakeVerificationToken0";

    private static long _triggerCounter;

    /// <summary>The form fields of a slash command POSTed to the command's Request URL (HTTP mode).</summary>
    public static Dictionary<string, string> SlashCommand(
        string command, string text, Uri responseUrl, string userId = DefaultUserId, string channelId = DefaultChannelId, string teamId = FakeSlack.TeamId)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["token"] = VerificationToken,
            ["team_id"] = teamId,
            ["team_domain"] = FakeSlack.TeamDomain,
            ["channel_id"] = channelId,
            ["channel_name"] = ChannelName(channelId),
            ["user_id"] = userId,
            ["user_name"] = UserName(userId),
            ["command"] = command,
            ["text"] = text,
            ["api_app_id"] = FakeSlack.AppId,
            ["is_enterprise_install"] = "false",
            ["response_url"] = responseUrl.ToString(),
            ["trigger_id"] = NewTriggerId(),
        };
    }

    /// <summary>The same slash command as the <c>payload</c> of a Socket Mode <c>slash_commands</c> envelope (all fields strings).</summary>
    public static JsonObject SlashCommandJson(
        string command, string text, Uri responseUrl, string userId = DefaultUserId, string channelId = DefaultChannelId, string teamId = FakeSlack.TeamId)
    {
        var json = new JsonObject();
        foreach (var (name, value) in SlashCommand(command, text, responseUrl, userId, channelId, teamId))
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>A <c>block_actions</c> payload for a button click on the message <paramref name="messageTs"/>.</summary>
    public static JsonObject BlockAction(
        string actionId, string value, string messageTs, Uri responseUrl, string userId = DefaultUserId, string channelId = DefaultChannelId,
        string blockId = "fake_block", bool isEphemeral = false) =>
        Interactive(new JsonObject
        {
            ["type"] = "button",
            ["action_id"] = actionId,
            ["block_id"] = blockId,
            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = value, ["emoji"] = true },
            ["value"] = value,
            ["action_ts"] = NextActionTs(),
        }, messageTs, responseUrl, userId, channelId, isEphemeral);

    /// <summary>
    /// A <c>block_actions</c> payload for choosing the option <paramref name="value"/> of the static select
    /// <paramref name="actionId"/> on the message <paramref name="messageTs"/>: the choice arrives as <c>selected_option</c>.
    /// </summary>
    public static JsonObject MenuChoice(
        string actionId, string optionText, string value, string messageTs, Uri responseUrl, string userId = DefaultUserId, string channelId = DefaultChannelId,
        string blockId = "fake_block") =>
        Interactive(new JsonObject
        {
            ["type"] = "static_select",
            ["action_id"] = actionId,
            ["block_id"] = blockId,
            ["selected_option"] = new JsonObject
            {
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = optionText, ["emoji"] = true },
                ["value"] = value,
            },
            ["placeholder"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Choose", ["emoji"] = true },
            ["action_ts"] = NextActionTs(),
        }, messageTs, responseUrl, userId, channelId, isEphemeral: false);

    private static JsonObject Interactive(JsonObject action, string messageTs, Uri responseUrl, string userId, string channelId, bool isEphemeral)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = User(userId),
            ["api_app_id"] = FakeSlack.AppId,
            ["token"] = VerificationToken,
            ["container"] = new JsonObject
            {
                ["type"] = "message",
                ["message_ts"] = messageTs,
                ["channel_id"] = channelId,
                ["is_ephemeral"] = isEphemeral,
            },
            ["trigger_id"] = NewTriggerId(),
            ["team"] = Team(),
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = ChannelName(channelId) },
            ["message"] = new JsonObject
            {
                ["type"] = "message",
                ["user"] = FakeSlack.BotUserId,
                ["bot_id"] = FakeSlack.BotId,
                ["ts"] = messageTs,
                ["text"] = "message text",
            },
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = responseUrl.ToString(),
            ["actions"] = new JsonArray(action),
        };
    }

    /// <summary>A <c>block_suggestion</c> payload: the user typed <paramref name="value"/> into an external select; the answer is <c>{"options":[…]}</c>.</summary>
    public static JsonObject BlockSuggestion(
        string actionId, string value, string userId = DefaultUserId, string channelId = DefaultChannelId, string blockId = "fake_block", string? messageTs = null) =>
        new()
        {
            ["type"] = "block_suggestion",
            ["user"] = User(userId),
            ["container"] = messageTs is null
                ? new JsonObject { ["type"] = "view", ["view_id"] = "V0FAKE001" }
                : new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channelId, ["is_ephemeral"] = false },
            ["api_app_id"] = FakeSlack.AppId,
            ["token"] = VerificationToken,
            ["action_id"] = actionId,
            ["block_id"] = blockId,
            ["value"] = value,
            ["team"] = Team(),
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = ChannelName(channelId) },
        };

    /// <summary>The Events API <c>url_verification</c> challenge; the answer is <c>{"challenge": …}</c>.</summary>
    public static JsonObject UrlVerification(string challenge) => new()
    {
        ["token"] = VerificationToken,
        ["challenge"] = challenge,
        ["type"] = "url_verification",
    };

    private static JsonObject User(string userId) => new()
    {
        ["id"] = userId,
        ["username"] = UserName(userId),
        ["name"] = UserName(userId),
        ["team_id"] = FakeSlack.TeamId,
    };

    private static JsonObject Team() => new() { ["id"] = FakeSlack.TeamId, ["domain"] = FakeSlack.TeamDomain };

    private static string UserName(string userId) => "user_" + userId.ToLowerInvariant();

    private static string ChannelName(string channelId) => channelId == DefaultChannelId ? "general" : "channel_" + channelId.ToLowerInvariant();

    private static string NewTriggerId()
    {
        var number = Interlocked.Increment(ref _triggerCounter);
        return string.Create(CultureInfo.InvariantCulture, $"{number}.{4_744_562_912_1L}.{Guid.NewGuid():N}");
    }

    private static string NextActionTs()
    {
        var number = Interlocked.Increment(ref _triggerCounter);
        return string.Create(CultureInfo.InvariantCulture, $"{1_700_000_100 + number}.{number % 1_000_000:D6}");
    }
}
