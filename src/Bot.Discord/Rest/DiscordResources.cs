using System.Text.Json.Serialization;

namespace Bot.Discord.Rest;

/// <summary>The answer of <c>GET /users/@me</c>: who the bot token belongs to.</summary>
public sealed record DiscordUser(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("discriminator")] string? Discriminator,
    [property: JsonPropertyName("bot")] bool? Bot)
{
    /// <summary>How Discord shows the account: <c>name#1234</c> on the legacy tag system, else the bare name.</summary>
    public string DisplayName => Discriminator is null or "" or "0" ? Username : $"{Username}#{Discriminator}";
}

/// <summary>The answer of <c>GET /applications/@me</c>; <see cref="VerifyKey"/> is the hex key that signs HTTP interactions.</summary>
public sealed record DiscordApplication(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("verify_key")] string? VerifyKey);

/// <summary>The parts of a channel (<c>GET /channels/{channel.id}</c>) that decide what the bot may do there.</summary>
public sealed record DiscordChannel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("guild_id")] string? GuildId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("permission_overwrites")] IReadOnlyList<DiscordOverwrite>? PermissionOverwrites);

/// <summary>A channel's permission overwrite; <see cref="Type"/> 0 is a role (the guild's id is @everyone), 1 a member.</summary>
public sealed record DiscordOverwrite(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("allow")] string Allow,
    [property: JsonPropertyName("deny")] string Deny);

/// <summary>The parts of a guild (<c>GET /guilds/{guild.id}</c>) that permissions are computed from.</summary>
public sealed record DiscordGuild(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("owner_id")] string? OwnerId,
    [property: JsonPropertyName("roles")] IReadOnlyList<DiscordRole>? Roles);

/// <summary>A guild role; <see cref="Permissions"/> is the decimal string Discord sends.</summary>
public sealed record DiscordRole(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("permissions")] string Permissions);

/// <summary>A guild member (<c>GET /guilds/{guild.id}/members/{user.id}</c>); <see cref="Roles"/> leaves out @everyone.</summary>
public sealed record DiscordGuildMember(
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles);
