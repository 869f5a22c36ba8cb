using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

// Channel messages: POST/GET /channels/{id}/messages, GET/PATCH/DELETE /channels/{id}/messages/{id}.
public sealed partial class FakeDiscord
{
    private readonly Dictionary<string, FakeChannel> _channels = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes a guild text channel exist in <paramref name="guildId"/> (created with the bot in it, see
    /// <see cref="AddGuild"/>, if new); requests to unknown channels get 404 code 10003. With
    /// <paramref name="canSend"/> false the channel gets an overwrite denying SEND_MESSAGES to the bot's role, so
    /// creating messages gets 403 code 50013 (Missing Permissions) while the bot can still see and read the channel.
    /// Calling it again for the same channel keeps its messages and other overwrites and updates that deny.
    /// </summary>
    public void AddChannel(string channelId, string guildId, bool canSend = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        lock (_gate)
        {
            if (!_channels.TryGetValue(channelId, out var channel))
            {
                var guild = EnsureGuildUnlocked(guildId);
                channel = new FakeChannel(channelId, guild.Id, _channels.Values.Count(c => c.GuildId == guild.Id));
                _channels[channelId] = channel;
            }

            var botRoleId = _guilds[channel.GuildId].BotRoleId;
            var current = channel.Overwrite(botRoleId) ?? new FakeOverwrite(botRoleId, RoleOverwrite, 0, 0);
            var updated = canSend
                ? current with { Deny = current.Deny & ~FakePermissions.SendMessages }
                : current with { Allow = current.Allow & ~FakePermissions.SendMessages, Deny = current.Deny | FakePermissions.SendMessages };
            channel.Overwrites.RemoveAll(o => o.Id == botRoleId);
            if (updated.Allow != 0 || updated.Deny != 0)
            {
                channel.Overwrites.Add(updated);
            }
        }
    }

    /// <summary>The channel's messages that are not deleted, oldest first (empty for an unknown channel).</summary>
    public IReadOnlyList<FakeMessage> Messages(string channelId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out var channel)
                ? channel.Messages.Where(m => !m.DeletedUnlocked).ToList()
                : [];
        }
    }

    /// <summary>
    /// Seeds history with a message authored by the bot, e.g. a post made before a crash. Missing "id",
    /// "timestamp", "content", "embeds", "components" are filled in; a "nonce" in it counts for enforce_nonce.
    /// </summary>
    public FakeMessage AddExistingMessage(string channelId, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            if (!_channels.TryGetValue(channelId, out var channel))
            {
                throw new InvalidOperationException($"Channel {channelId} does not exist; call AddChannel first.");
            }

            var now = _time.GetUtcNow();
            var seeded = (JsonObject)JsonNode.Parse(message.ToJsonString())!;
            seeded["id"] ??= Snowflakes.Next();
            seeded["type"] ??= 0;
            seeded["channel_id"] = channelId;
            seeded["author"] = BotAuthor();
            seeded["content"] ??= "";
            seeded["timestamp"] ??= Iso(now);
            seeded["edited_timestamp"] ??= null;
            seeded["embeds"] ??= new JsonArray();
            seeded["components"] ??= new JsonArray();
            seeded["flags"] ??= 0;
            var record = new FakeMessage(_gate, seeded, now);
            var position = channel.Messages.FindIndex(m => Snowflakes.Parse(m.Id) > Snowflakes.Parse(record.Id));
            channel.Messages.Insert(position < 0 ? channel.Messages.Count : position, record);
            return record;
        }
    }

    private Answer GetChannel(Call call, string channelId)
    {
        if (ChannelSeenByBot(call, channelId, out var channel, out _) is { } refused)
        {
            return refused;
        }

        var lastMessage = channel.Messages.LastOrDefault(m => !m.DeletedUnlocked);
        return Answer.Ok(new JsonObject
        {
            ["id"] = channel.Id,
            ["type"] = 0,
            ["guild_id"] = channel.GuildId,
            ["name"] = channel.Name,
            ["position"] = channel.Position,
            ["permission_overwrites"] = new JsonArray(channel.Overwrites.Select(o => (JsonNode)new JsonObject
            {
                ["id"] = o.Id,
                ["type"] = o.Type,
                ["allow"] = o.Allow.ToString(CultureInfo.InvariantCulture),
                ["deny"] = o.Deny.ToString(CultureInfo.InvariantCulture),
            }).ToArray()),
            ["parent_id"] = null,
            ["topic"] = null,
            ["nsfw"] = false,
            ["last_message_id"] = lastMessage?.Id,
            ["rate_limit_per_user"] = 0,
            ["flags"] = 0,
        });
    }

    // Null when the bot can see the channel, with its computed permissions there. An unknown channel is 404 Unknown
    // Channel; one the bot cannot see (not in the guild, or no VIEW_CHANNEL) is 403 Missing Access.
    private Answer? ChannelSeenByBot(Call call, string channelId, out FakeChannel channel, out ulong permissions)
    {
        permissions = 0;
        if (!_channels.TryGetValue(channelId, out var found))
        {
            channel = null!;
            return Reject(call.Where, 404, 10003, "Unknown Channel", $"channel {channelId} does not exist");
        }

        channel = found;
        if (!_guilds[found.GuildId].BotIsMember)
        {
            return Reject(call.Where, 403, 50001, "Missing Access", $"the bot is not a member of guild {found.GuildId}, which has channel {channelId}");
        }

        permissions = BotPermissionsUnlocked(found);
        return (permissions & FakePermissions.ViewChannel) == 0
            ? Reject(call.Where, 403, 50001, "Missing Access", $"the bot lacks VIEW_CHANNEL in channel {channelId}")
            : null;
    }

    private Answer CreateMessage(Call call, string channelId)
    {
        if (ChannelSeenByBot(call, channelId, out var channel, out var permissions) is { } refused)
        {
            return refused;
        }

        if ((permissions & FakePermissions.SendMessages) == 0)
        {
            return Reject(call.Where, 403, 50013, "Missing Permissions", $"the bot lacks SEND_MESSAGES in channel {channelId}");
        }

        if (call.Json is not JsonObject body)
        {
            return Reject(call.Where, 400, 50006, "Cannot send an empty message", "no JSON object body");
        }

        var errors = new FormErrors();
        ValidateMessage(body, "", MessageUse.ChannelCreate, errors);
        if (body["message_reference"] is JsonObject && (permissions & FakePermissions.ReadMessageHistory) == 0)
        {
            return Reject(call.Where, 403, 50013, "Missing Permissions", $"a reply needs READ_MESSAGE_HISTORY, which the bot lacks in channel {channelId}");
        }

        var referencedId = StringOrNull(body["message_reference"]?["message_id"]);
        if (referencedId is not null && Snowflakes.IsSnowflake(referencedId)
            && !channel.Messages.Any(m => m.Id == referencedId && !m.DeletedUnlocked)
            && !(TryBool(body["message_reference"]?["fail_if_not_exists"], out var failIfMissing) && !failIfMissing))
        {
            errors.Add("message_reference", "REPLIES_UNKNOWN_MESSAGE", $"Unknown message {referencedId} in channel {channelId}.");
        }

        if (errors.Any)
        {
            return Invalid(call.Where, errors);
        }

        if (IsEmptyMessage(body))
        {
            return Reject(call.Where, 400, 50006, "Cannot send an empty message", "message has no content, embeds, components, stickers, files or poll");
        }

        var nonce = body["nonce"]?.ToString();
        if (nonce is not null && TryBool(body["enforce_nonce"], out var enforce) && enforce)
        {
            var earlier = channel.Messages.LastOrDefault(m =>
                m.Nonce == nonce && !m.DeletedUnlocked && call.At - m.CreatedAt < NonceWindow);
            if (earlier is not null)
            {
                return Answer.Ok(earlier.CurrentUnlocked.DeepClone());
            }
        }

        var message = NewMessageObject(body, channelId, call.At);
        if (body["nonce"] is { } nonceNode)
        {
            message["nonce"] = nonceNode.DeepClone();
        }

        if (body["message_reference"] is JsonObject reference)
        {
            var stored = (JsonObject)reference.DeepClone();
            stored["channel_id"] ??= channelId;
            stored["guild_id"] ??= channel.GuildId;
            message["message_reference"] = stored;
            message["type"] = 19;
        }

        RecordPings(call.Where, body, parseEverythingByDefault: true);
        var record = new FakeMessage(_gate, message, call.At);
        channel.Messages.Add(record);
        return Answer.Ok(message.DeepClone());
    }

    private Answer ListMessages(Call call, string channelId)
    {
        if (ChannelSeenByBot(call, channelId, out var channel, out var permissions) is { } refused)
        {
            return refused;
        }

        var errors = new FormErrors();
        var limit = 50;
        if (call.QueryValues.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            errors.Add("limit", "NUMBER_TYPE_MAX", "limit must be an integer from 1 to 100.");
        }

        var before = SnowflakeQuery(call, "before", errors);
        var after = SnowflakeQuery(call, "after", errors);
        SnowflakeQuery(call, "around", errors);
        if (errors.Any)
        {
            return Invalid(call.Where, errors);
        }

        // Without READ_MESSAGE_HISTORY Discord returns no messages rather than an error (Get Channel Messages).
        if ((permissions & FakePermissions.ReadMessageHistory) == 0)
        {
            return Answer.Ok(new JsonArray());
        }

        var oldestFirst = channel.Messages.Where(m => !m.DeletedUnlocked).ToList();
        IEnumerable<FakeMessage> page = before is { } beforeId
            ? oldestFirst.Where(m => Snowflakes.Parse(m.Id) < beforeId).TakeLast(limit)
            : after is { } afterId
                ? oldestFirst.Where(m => Snowflakes.Parse(m.Id) > afterId).Take(limit)
                : oldestFirst.TakeLast(limit);
        return Answer.Ok(new JsonArray(page.Reverse().Select(m => (JsonNode)m.CurrentUnlocked.DeepClone()).ToArray()));
    }

    private static ulong? SnowflakeQuery(Call call, string name, FormErrors errors)
    {
        if (!call.QueryValues.TryGetValue(name, out var value))
        {
            return null;
        }

        if (Snowflakes.IsSnowflake(value))
        {
            return Snowflakes.Parse(value);
        }

        errors.Add(name, "NUMBER_TYPE_COERCE", $"Value \"{value}\" is not snowflake.");
        return null;
    }

    private Answer GetMessage(Call call, string channelId, string messageId)
    {
        if (ChannelSeenByBot(call, channelId, out var channel, out var permissions) is { } refused)
        {
            return refused;
        }

        if ((permissions & FakePermissions.ReadMessageHistory) == 0)
        {
            return Reject(call.Where, 403, 50001, "Missing Access", $"reading one message needs READ_MESSAGE_HISTORY, which the bot lacks in channel {channelId}");
        }

        var message = channel.Messages.FirstOrDefault(m => m.Id == messageId && !m.DeletedUnlocked);
        return message is null
            ? Reject(call.Where, 404, 10008, "Unknown Message", $"message {messageId} does not exist in channel {channelId}")
            : Answer.Ok(message.CurrentUnlocked.DeepClone());
    }

    private Answer EditMessage(Call call, string channelId, string messageId)
    {
        if (ChannelSeenByBot(call, channelId, out var channel, out _) is { } refused)
        {
            return refused;
        }

        var message = channel.Messages.FirstOrDefault(m => m.Id == messageId && !m.DeletedUnlocked);
        if (message is null)
        {
            return Reject(call.Where, 404, 10008, "Unknown Message", $"message {messageId} does not exist in channel {channelId}");
        }

        return ApplyEdit(call.Where, message, call.Json, MessageUse.ChannelEdit, call.At, parseEverythingByDefault: true);
    }

    private Answer DeleteMessage(Call call, string channelId, string messageId)
    {
        if (ChannelSeenByBot(call, channelId, out var channel, out _) is { } refused)
        {
            return refused;
        }

        var message = channel.Messages.FirstOrDefault(m => m.Id == messageId && !m.DeletedUnlocked);
        if (message is null)
        {
            return Reject(call.Where, 404, 10008, "Unknown Message", $"message {messageId} does not exist in channel {channelId}");
        }

        message.DeleteUnlocked();
        return Answer.NoContent();
    }

    // Shared by channel edits and webhook (interaction) edits: validate, merge, refuse an edit that empties the message.
    private Answer ApplyEdit(string where, FakeMessage message, JsonNode? json, MessageUse use, DateTimeOffset now, bool parseEverythingByDefault)
    {
        if (json is not JsonObject edit)
        {
            var notObject = new FormErrors();
            notObject.Add("", "MODEL_TYPE_CONVERT", "The body must be a JSON object.");
            return Invalid(where, notObject);
        }

        var errors = new FormErrors();
        ValidateMessage(edit, "", use, errors);
        var current = message.CurrentUnlocked;
        var currentFlags = TryInteger(current["flags"], out var flags) ? flags : 0;
        if ((currentFlags & IsComponentsV2) != 0 && TryInteger(edit["flags"], out var newFlags) && (newFlags & IsComponentsV2) == 0)
        {
            errors.Add("flags", "MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG", "IS_COMPONENTS_V2 cannot be removed once set.");
        }

        if (errors.Any)
        {
            return Invalid(where, errors);
        }

        var next = Merge(current, edit, now);
        if (IsEmptyMessage(next))
        {
            return Reject(where, 400, 50006, "Cannot send an empty message", "the edit would leave the message without content, embeds or components");
        }

        RecordPings(where, edit, parseEverythingByDefault);
        message.ReplaceUnlocked(next);
        return Answer.Ok(next.DeepClone());
    }

    private static JsonObject Merge(JsonObject current, JsonObject edit, DateTimeOffset now)
    {
        var next = (JsonObject)current.DeepClone();
        foreach (var key in new[] { "content", "embeds", "components", "attachments", "flags", "poll" })
        {
            if (edit.TryGetPropertyValue(key, out var value))
            {
                next[key] = value?.DeepClone() ?? Cleared(key);
            }
        }

        // Ephemerality belongs to the message, not to the edit; the first edit of a deferred response ends its loading state.
        var currentFlags = TryInteger(current["flags"], out var flags) ? flags : 0;
        var mergedFlags = TryInteger(next["flags"], out var merged) ? merged : 0;
        next["flags"] = (mergedFlags | (currentFlags & Ephemeral)) & ~(long)Loading;
        next["edited_timestamp"] = Iso(now);
        return next;
    }

    // What a field reads as after an edit sets it to null.
    private static JsonNode? Cleared(string key) => key switch
    {
        "content" => JsonValue.Create(""),
        "flags" => JsonValue.Create(0),
        "poll" => null,
        _ => new JsonArray(),
    };

    private static JsonObject NewMessageObject(JsonObject body, string channelId, DateTimeOffset now) => new()
    {
        ["id"] = Snowflakes.Next(),
        ["type"] = 0,
        ["channel_id"] = channelId,
        ["author"] = BotAuthor(),
        ["content"] = body["content"]?.DeepClone() ?? "",
        ["timestamp"] = Iso(now),
        ["edited_timestamp"] = null,
        ["tts"] = body["tts"]?.DeepClone() ?? false,
        ["mention_everyone"] = false,
        ["mentions"] = new JsonArray(),
        ["mention_roles"] = new JsonArray(),
        ["attachments"] = new JsonArray(),
        ["embeds"] = body["embeds"]?.DeepClone() ?? new JsonArray(),
        ["components"] = body["components"]?.DeepClone() ?? new JsonArray(),
        ["pinned"] = false,
        ["flags"] = body["flags"]?.DeepClone() ?? 0,
    };

    private sealed class FakeChannel(string id, string guildId, int position)
    {
        public string Id { get; } = id;

        public string GuildId { get; } = guildId;

        public string Name => "channel-" + Id;

        public int Position { get; } = position;

        public List<FakeOverwrite> Overwrites { get; } = [];

        public List<FakeMessage> Messages { get; } = [];

        public FakeOverwrite? Overwrite(string targetId) => Overwrites.FirstOrDefault(o => o.Id == targetId);
    }
}
