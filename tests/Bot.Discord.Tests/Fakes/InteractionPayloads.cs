using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// Realistic interaction payloads as Discord sends them: in a guild the invoker is in <c>member.user</c>, in a DM
/// (<paramref name="guildId"/> null) in <c>user</c>. Each gets a fresh id and token; pass it to
/// <see cref="FakeDiscord.NewInteraction"/> before sending it.
/// </summary>
public static class InteractionPayloads
{
    /// <summary>Default invoking user id.</summary>
    public const string DefaultUserId = "900000000000000001";

    /// <summary>Default guild id.</summary>
    public const string DefaultGuildId = "1000000000000000001";

    /// <summary>Default channel id.</summary>
    public const string DefaultChannelId = "1000000000000000002";

    /// <summary>A slash command (type 2, CHAT_INPUT) with top-level options (type 3 STRING, 4 INTEGER, …).</summary>
    public static JsonObject SlashCommand(
        string name,
        IEnumerable<(string Name, int Type, JsonNode Value)> options,
        string userId = DefaultUserId,
        string? guildId = DefaultGuildId,
        string channelId = DefaultChannelId,
        string username = "student1")
    {
        ArgumentNullException.ThrowIfNull(options);
        var payload = Base(2, userId, guildId, channelId, username);
        payload["data"] = new JsonObject
        {
            ["id"] = CommandId(name),
            ["name"] = name,
            ["type"] = 1,
            ["options"] = new JsonArray(options.Select(o => (JsonNode)Option(o.Name, o.Type, o.Value)).ToArray()),
        };
        return payload;
    }

    /// <summary>
    /// An autocomplete request (type 4): the focused STRING option carries what the user has typed so far,
    /// <paramref name="others"/> are options already filled in.
    /// </summary>
    public static JsonObject Autocomplete(
        string name,
        string focusedOption,
        string partial,
        IEnumerable<(string Name, int Type, JsonNode Value)>? others = null,
        string userId = DefaultUserId,
        string? guildId = DefaultGuildId,
        string channelId = DefaultChannelId,
        string username = "student1")
    {
        var payload = Base(4, userId, guildId, channelId, username);
        var options = new JsonArray();
        var focused = Option(focusedOption, 3, partial);
        focused["focused"] = true;
        options.Add(focused);
        foreach (var other in others ?? [])
        {
            options.Add(Option(other.Name, other.Type, other.Value));
        }

        payload["data"] = new JsonObject
        {
            ["id"] = CommandId(name),
            ["name"] = name,
            ["type"] = 1,
            ["options"] = options,
        };
        return payload;
    }

    /// <summary>A button click (type 3, component_type 2) on a message the bot posted.</summary>
    public static JsonObject ButtonClick(
        string customId,
        string messageId,
        string userId = DefaultUserId,
        string? guildId = DefaultGuildId,
        string channelId = DefaultChannelId,
        string username = "student1") =>
        ComponentInteraction(new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }, messageId, userId, guildId, channelId, username);

    /// <summary>A MESSAGE_COMPONENT interaction for choosing <paramref name="value"/> in the string select <paramref name="customId"/>: the choice arrives in <c>data.values</c>.</summary>
    public static JsonObject SelectMenuChoice(
        string customId,
        string value,
        string messageId,
        string userId = DefaultUserId,
        string? guildId = DefaultGuildId,
        string channelId = DefaultChannelId,
        string username = "student1") =>
        ComponentInteraction(new JsonObject { ["custom_id"] = customId, ["component_type"] = 3, ["values"] = new JsonArray(value) }, messageId, userId, guildId, channelId, username);

    private static JsonObject ComponentInteraction(JsonObject data, string messageId, string userId, string? guildId, string channelId, string username)
    {
        var payload = Base(3, userId, guildId, channelId, username);
        payload["message"] = new JsonObject
        {
            ["id"] = messageId,
            ["channel_id"] = channelId,
            ["type"] = 0,
            ["content"] = "",
            ["author"] = new JsonObject { ["id"] = FakeDiscord.BotUserId, ["username"] = FakeDiscord.BotUsername, ["discriminator"] = FakeDiscord.BotDiscriminator, ["bot"] = true },
            ["embeds"] = new JsonArray(),
            ["components"] = new JsonArray(),
            ["flags"] = 0,
        };
        payload["data"] = data;
        return payload;
    }

    /// <summary>The PING (type 1) Discord sends when the Interactions Endpoint URL is saved, and at random later.</summary>
    public static JsonObject Ping() => new()
    {
        ["id"] = Snowflakes.Next(),
        ["application_id"] = FakeDiscord.ApplicationId,
        ["type"] = 1,
        ["token"] = FakeDiscord.NewInteractionToken(),
        ["version"] = 1,
        ["user"] = new JsonObject { ["id"] = "643945264868098049", ["username"] = "discord", ["discriminator"] = "0000", ["system"] = true },
        ["entitlements"] = new JsonArray(),
        ["authorizing_integration_owners"] = new JsonObject(),
    };

    private static JsonObject Base(int type, string userId, string? guildId, string channelId, string username)
    {
        var user = new JsonObject
        {
            ["id"] = userId,
            ["username"] = username,
            ["discriminator"] = "0",
            ["global_name"] = username,
            ["avatar"] = null,
        };
        var payload = new JsonObject
        {
            ["id"] = Snowflakes.Next(),
            ["application_id"] = FakeDiscord.ApplicationId,
            ["type"] = type,
            ["token"] = FakeDiscord.NewInteractionToken(),
            ["version"] = 1,
            ["channel_id"] = channelId,
            ["channel"] = new JsonObject { ["id"] = channelId, ["type"] = guildId is null ? 1 : 0 },
            ["app_permissions"] = "442368",
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["attachment_size_limit"] = 10_485_760,
        };
        if (guildId is null)
        {
            payload["user"] = user;
            payload["context"] = 1;
            payload["authorizing_integration_owners"] = new JsonObject { ["1"] = userId };
        }
        else
        {
            payload["guild_id"] = guildId;
            payload["guild_locale"] = "en-US";
            payload["guild"] = new JsonObject { ["id"] = guildId, ["locale"] = "en-US", ["features"] = new JsonArray() };
            payload["member"] = new JsonObject
            {
                ["user"] = user,
                ["roles"] = new JsonArray(),
                ["permissions"] = "2147483647",
                ["joined_at"] = "2024-01-01T00:00:00+00:00",
                ["nick"] = null,
                ["deaf"] = false,
                ["mute"] = false,
                ["flags"] = 0,
            };
            payload["context"] = 0;
            payload["authorizing_integration_owners"] = new JsonObject { ["0"] = guildId };
        }

        return payload;
    }

    private static JsonObject Option(string name, int type, JsonNode value) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["value"] = value.DeepClone(),
    };

    // Stable per command name, as a registered command's id would be.
    private static string CommandId(string name) =>
        (1_300_000_000_000_000_000UL + (ulong)(uint)StableHash(name)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var character in text)
        {
            hash = unchecked((hash * 31) + character);
        }

        return hash;
    }
}
