using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

// Guilds, roles, the bot's membership and channel permission overwrites; GET /users/@me, GET /guilds/{id},
// GET /guilds/{id}/roles, GET /guilds/{id}/members/{user.id}; and the bot's permissions in a channel, computed
// as developers/topics/permissions "Permission Overwrites" defines them, which the channel routes enforce.
public sealed partial class FakeDiscord
{
    /// <summary>Who owns each guild the fake creates: a person, not the bot (see <see cref="SetGuildOwner"/>).</summary>
    public const string GuildOwnerId = "900000000000000900";

    /// <summary>Overwrite type of a role (<c>permission_overwrites[].type</c>); the @everyone role's id is the guild's.</summary>
    public const int RoleOverwrite = 0;

    /// <summary>Overwrite type of a member (<c>permission_overwrites[].type</c>), e.g. the bot's <see cref="BotUserId"/>.</summary>
    public const int MemberOverwrite = 1;

    private readonly Dictionary<string, FakeGuild> _guilds = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes a guild exist with the bot in it (<see cref="AddChannel"/> does this too for the guild it names):
    /// owner <see cref="GuildOwnerId"/>, an @everyone role (id = guild id) with
    /// <see cref="FakePermissions.EveryoneDefault"/>, and the bot's managed role (<see cref="BotRoleId"/>) with
    /// <see cref="FakePermissions.BotRoleDefault"/>. For a guild that exists, brings the bot back after
    /// <see cref="RemoveBotFromGuild"/> and changes nothing else.
    /// </summary>
    public void AddGuild(string guildId)
    {
        lock (_gate)
        {
            EnsureGuildUnlocked(guildId).BotIsMember = true;
        }
    }

    /// <summary>The id of the bot's managed role in the guild (the role Discord creates when the bot is added).</summary>
    public string BotRoleId(string guildId)
    {
        lock (_gate)
        {
            return RequireGuild(guildId).BotRoleId;
        }
    }

    /// <summary>Sets the guild-level permissions of the @everyone role.</summary>
    public void SetEveryonePermissions(string guildId, ulong permissions)
    {
        lock (_gate)
        {
            RequireGuild(guildId).Role(guildId).Permissions = permissions;
        }
    }

    /// <summary>Sets the guild-level permissions of the bot's managed role (<see cref="BotRoleId"/>).</summary>
    public void SetBotRolePermissions(string guildId, ulong permissions)
    {
        lock (_gate)
        {
            var guild = RequireGuild(guildId);
            guild.Role(guild.BotRoleId).Permissions = permissions;
        }
    }

    /// <summary>Adds a role to the guild, given to the bot unless <paramref name="assignToBot"/> is false; returns its id.</summary>
    public string AddRole(string guildId, string name, ulong permissions, bool assignToBot = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_gate)
        {
            var guild = RequireGuild(guildId);
            var role = new FakeRole(Snowflakes.Next(), name, guild.Roles.Count, managed: false) { Permissions = permissions };
            guild.Roles.Add(role);
            if (assignToBot)
            {
                guild.BotRoleIds.Add(role.Id);
            }

            return role.Id;
        }
    }

    /// <summary>Makes <paramref name="userId"/> the guild's owner; the owner has every permission (pass <see cref="BotUserId"/> to make it the bot).</summary>
    public void SetGuildOwner(string guildId, string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        lock (_gate)
        {
            RequireGuild(guildId).OwnerId = userId;
        }
    }

    /// <summary>
    /// The bot leaves the guild: its guild routes answer 404 code 10004 (Unknown Guild), as for a guild that does
    /// not exist, and its channels answer 403 code 50001 (Missing Access). <see cref="AddGuild"/> brings it back.
    /// </summary>
    public void RemoveBotFromGuild(string guildId)
    {
        lock (_gate)
        {
            RequireGuild(guildId).BotIsMember = false;
        }
    }

    /// <summary>
    /// Sets (replaces) the channel's permission overwrite for a role (<paramref name="type"/>
    /// <see cref="RoleOverwrite"/>; the guild id means @everyone) or a member (<see cref="MemberOverwrite"/>).
    /// </summary>
    public void SetChannelOverwrite(string channelId, string targetId, int type, ulong allow, ulong deny)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetId);
        if (type is not (RoleOverwrite or MemberOverwrite))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "An overwrite's type is 0 (role) or 1 (member).");
        }

        lock (_gate)
        {
            var channel = RequireChannel(channelId);
            channel.Overwrites.RemoveAll(o => o.Id == targetId);
            channel.Overwrites.Add(new FakeOverwrite(targetId, type, allow, deny));
        }
    }

    /// <summary>Removes the channel's permission overwrite for <paramref name="targetId"/>, if there is one.</summary>
    public void RemoveChannelOverwrite(string channelId, string targetId)
    {
        lock (_gate)
        {
            RequireChannel(channelId).Overwrites.RemoveAll(o => o.Id == targetId);
        }
    }

    /// <summary>
    /// The bot's permissions in the channel as Discord computes them (owner, then @everyone and the bot's roles,
    /// ADMINISTRATOR, then the @everyone, role and member overwrites); 0 when the bot is not in the guild.
    /// </summary>
    public ulong BotPermissionsIn(string channelId)
    {
        lock (_gate)
        {
            var channel = RequireChannel(channelId);
            return BotPermissionsUnlocked(channel);
        }
    }

    private FakeGuild EnsureGuildUnlocked(string guildId)
    {
        ArgumentException.ThrowIfNullOrEmpty(guildId);
        if (!_guilds.TryGetValue(guildId, out var guild))
        {
            guild = new FakeGuild(guildId, Snowflakes.Next(), _time.GetUtcNow());
            _guilds[guildId] = guild;
        }

        return guild;
    }

    private FakeGuild RequireGuild(string guildId) =>
        _guilds.TryGetValue(guildId, out var guild)
            ? guild
            : throw new InvalidOperationException($"Guild {guildId} does not exist; call AddGuild or AddChannel first.");

    private FakeChannel RequireChannel(string channelId) =>
        _channels.TryGetValue(channelId, out var channel)
            ? channel
            : throw new InvalidOperationException($"Channel {channelId} does not exist; call AddChannel first.");

    private ulong BotPermissionsUnlocked(FakeChannel channel)
    {
        var guild = _guilds[channel.GuildId];
        if (!guild.BotIsMember)
        {
            return 0;
        }

        var permissions = BasePermissions(guild);
        if ((permissions & FakePermissions.Administrator) != 0)
        {
            return FakePermissions.All;
        }

        if (channel.Overwrite(guild.Id) is { } everyone)
        {
            permissions &= ~everyone.Deny;
            permissions |= everyone.Allow;
        }

        // Role overwrites combine before they apply, so one role's allow beats another role's deny.
        ulong allow = 0;
        ulong deny = 0;
        foreach (var roleId in guild.BotRoleIds)
        {
            if (channel.Overwrite(roleId) is { Type: RoleOverwrite } role)
            {
                allow |= role.Allow;
                deny |= role.Deny;
            }
        }

        permissions &= ~deny;
        permissions |= allow;
        if (channel.Overwrite(BotUserId) is { Type: MemberOverwrite } member)
        {
            permissions &= ~member.Deny;
            permissions |= member.Allow;
        }

        return permissions;
    }

    private static ulong BasePermissions(FakeGuild guild)
    {
        if (guild.OwnerId == BotUserId)
        {
            return FakePermissions.All;
        }

        var permissions = guild.Role(guild.Id).Permissions;
        foreach (var roleId in guild.BotRoleIds)
        {
            permissions |= guild.Role(roleId).Permissions;
        }

        return (permissions & FakePermissions.Administrator) != 0 ? FakePermissions.All : permissions;
    }

    // Get Current Application: the application object of the bot token's application (fields the docs mark as always sent).
    private Answer CurrentApplication() => Answer.Ok(new JsonObject
    {
        ["id"] = ApplicationId,
        ["name"] = "Tutor",
        ["icon"] = null,
        ["description"] = "",
        ["bot_public"] = true,
        ["bot_require_code_grant"] = false,
        ["verify_key"] = VerifyKey,
        ["team"] = null,
        ["flags"] = 0,
        ["bot"] = UserJson(BotUserId, BotUsername, BotDiscriminator, bot: true),
    });

    private Answer CurrentUser() => Answer.Ok(new JsonObject
    {
        ["id"] = BotUserId,
        ["username"] = BotUsername,
        ["discriminator"] = BotDiscriminator,
        ["global_name"] = null,
        ["avatar"] = null,
        ["bot"] = true,
        ["banner"] = null,
        ["accent_color"] = null,
        ["mfa_enabled"] = false,
        ["locale"] = "en-US",
        ["verified"] = true,
        ["email"] = null,
        ["flags"] = 0,
        ["public_flags"] = 0,
        ["avatar_decoration_data"] = null,
        ["collectibles"] = null,
        ["primary_guild"] = null,
    });

    private Answer GetGuild(Call call, string guildId)
    {
        if (GuildSeenByBot(call, guildId, out var guild) is { } refused)
        {
            return refused;
        }

        var body = new JsonObject
        {
            ["id"] = guild.Id,
            ["name"] = guild.Name,
            ["icon"] = null,
            ["splash"] = null,
            ["discovery_splash"] = null,
            ["owner_id"] = guild.OwnerId,
            ["region"] = null,
            ["afk_channel_id"] = null,
            ["afk_timeout"] = 300,
            ["widget_enabled"] = false,
            ["widget_channel_id"] = null,
            ["verification_level"] = 0,
            ["default_message_notifications"] = 0,
            ["explicit_content_filter"] = 0,
            ["roles"] = RolesJson(guild),
            ["emojis"] = new JsonArray(),
            ["features"] = new JsonArray(),
            ["mfa_level"] = 0,
            ["application_id"] = null,
            ["system_channel_id"] = null,
            ["system_channel_flags"] = 0,
            ["rules_channel_id"] = null,
            ["max_presences"] = null,
            ["max_members"] = 25000000,
            ["vanity_url_code"] = null,
            ["description"] = null,
            ["banner"] = null,
            ["premium_tier"] = 0,
            ["premium_subscription_count"] = 0,
            ["preferred_locale"] = "en-US",
            ["public_updates_channel_id"] = null,
            ["max_video_channel_users"] = 25,
            ["max_stage_video_channel_users"] = 50,
            ["nsfw_level"] = 0,
            ["stickers"] = new JsonArray(),
            ["premium_progress_bar_enabled"] = false,
            ["safety_alerts_channel_id"] = null,
            ["incidents_data"] = null,
        };
        if (call.QueryValues.TryGetValue("with_counts", out var withCounts) && withCounts is "true" or "True" or "1")
        {
            body["approximate_member_count"] = guild.OwnerId == BotUserId ? 1 : 2;
            body["approximate_presence_count"] = 1;
        }

        return Answer.Ok(body);
    }

    private Answer GetGuildRoles(Call call, string guildId) =>
        GuildSeenByBot(call, guildId, out var guild) ?? Answer.Ok(RolesJson(guild));

    private Answer GetGuildMember(Call call, string guildId, string userId)
    {
        if (GuildSeenByBot(call, guildId, out var guild) is { } refused)
        {
            return refused;
        }

        if (!Snowflakes.IsSnowflake(userId))
        {
            return NotSnowflake(call, "user_id", userId);
        }

        if (userId == BotUserId)
        {
            return Answer.Ok(MemberJson(UserJson(BotUserId, BotUsername, BotDiscriminator, bot: true), guild.BotRoleIds, guild.BotJoinedAt));
        }

        return userId == guild.OwnerId
            ? Answer.Ok(MemberJson(UserJson(guild.OwnerId, "guild-owner", "0", bot: false), [], guild.CreatedAt))
            : Reject(call.Where, 404, 10007, "Unknown Member", $"user {userId} is not a member of guild {guildId}");
    }

    // Null when the bot may read the guild. Discord answers a guild the bot is not in like one that does not exist
    // (discord-api-docs#5840), so both are 404 Unknown Guild.
    private Answer? GuildSeenByBot(Call call, string guildId, out FakeGuild guild)
    {
        guild = null!;
        if (!Snowflakes.IsSnowflake(guildId))
        {
            return NotSnowflake(call, "guild_id", guildId);
        }

        if (!_guilds.TryGetValue(guildId, out var found) || !found.BotIsMember)
        {
            return Reject(call.Where, 404, 10004, "Unknown Guild", found is null ? $"guild {guildId} does not exist" : $"the bot is not a member of guild {guildId}");
        }

        guild = found;
        return null;
    }

    private Answer NotSnowflake(Call call, string name, string value)
    {
        var errors = new FormErrors();
        errors.Add(name, "NUMBER_TYPE_COERCE", $"Value \"{value}\" is not snowflake.");
        return Invalid(call.Where, errors);
    }

    private static JsonArray RolesJson(FakeGuild guild) =>
        new(guild.Roles.Select(role => (JsonNode)RoleJson(role)).ToArray());

    private static JsonObject RoleJson(FakeRole role)
    {
        var json = new JsonObject
        {
            ["id"] = role.Id,
            ["name"] = role.Name,
            ["color"] = 0,
            ["colors"] = new JsonObject { ["primary_color"] = 0, ["secondary_color"] = null, ["tertiary_color"] = null },
            ["hoist"] = false,
            ["icon"] = null,
            ["unicode_emoji"] = null,
            ["position"] = role.Position,
            ["permissions"] = role.Permissions.ToString(CultureInfo.InvariantCulture),
            ["managed"] = role.Managed,
            ["mentionable"] = false,
            ["flags"] = 0,
        };
        if (role.Managed)
        {
            json["tags"] = new JsonObject { ["bot_id"] = BotUserId };
        }

        return json;
    }

    private static JsonObject UserJson(string id, string username, string discriminator, bool bot)
    {
        var user = new JsonObject
        {
            ["id"] = id,
            ["username"] = username,
            ["discriminator"] = discriminator,
            ["global_name"] = null,
            ["avatar"] = null,
            ["public_flags"] = 0,
        };
        if (bot)
        {
            user["bot"] = true;
        }

        return user;
    }

    private static JsonObject MemberJson(JsonObject user, IEnumerable<string> roleIds, DateTimeOffset joinedAt) => new()
    {
        ["user"] = user,
        ["nick"] = null,
        ["avatar"] = null,
        ["banner"] = null,
        ["roles"] = new JsonArray(roleIds.Select(id => (JsonNode)JsonValue.Create(id)).ToArray()),
        ["joined_at"] = Iso(joinedAt),
        ["premium_since"] = null,
        ["deaf"] = false,
        ["mute"] = false,
        ["flags"] = 0,
        ["pending"] = false,
        ["communication_disabled_until"] = null,
    };

    private sealed class FakeGuild
    {
        public FakeGuild(string id, string botRoleId, DateTimeOffset now)
        {
            Id = id;
            BotRoleId = botRoleId;
            CreatedAt = now;
            BotJoinedAt = now;
            Roles.Add(new FakeRole(id, "@everyone", 0, managed: false) { Permissions = FakePermissions.EveryoneDefault });
            Roles.Add(new FakeRole(botRoleId, BotUsername, 1, managed: true) { Permissions = FakePermissions.BotRoleDefault });
            BotRoleIds.Add(botRoleId);
        }

        public string Id { get; }

        public string Name => "Fake guild " + Id;

        public string BotRoleId { get; }

        public DateTimeOffset CreatedAt { get; }

        public DateTimeOffset BotJoinedAt { get; }

        public string OwnerId { get; set; } = GuildOwnerId;

        public bool BotIsMember { get; set; } = true;

        public List<FakeRole> Roles { get; } = [];

        /// <summary>The bot member's roles (without @everyone, which Discord leaves out of <c>member.roles</c>).</summary>
        public List<string> BotRoleIds { get; } = [];

        public FakeRole Role(string id) => Roles.First(r => r.Id == id);
    }

    private sealed class FakeRole(string id, string name, int position, bool managed)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public int Position { get; } = position;

        public bool Managed { get; } = managed;

        public ulong Permissions { get; set; }
    }

    private sealed record FakeOverwrite(string Id, int Type, ulong Allow, ulong Deny);
}
