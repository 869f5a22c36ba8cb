using System.Globalization;
using System.Text;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord's permission bits and the computation of a member's permissions in a channel, as the developer
/// documentation's "Permission Hierarchy" and "Permission Overwrites" describe it.
/// </summary>
public static class DiscordPermissions
{
    public const ulong Administrator = 1UL << 3;
    public const ulong ViewChannel = 1UL << 10;
    public const ulong SendMessages = 1UL << 11;
    public const ulong EmbedLinks = 1UL << 14;
    public const ulong ReadMessageHistory = 1UL << 16;

    /// <summary>What the daily quiz needs in its channel: see it, post, embed the question, and find its post again.</summary>
    public const ulong DailyQuizNeeds = ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory;

    private const ulong All = ulong.MaxValue;

    private static readonly (ulong Bit, string Name)[] Names =
    [
        (Administrator, "ADMINISTRATOR"), (ViewChannel, "VIEW_CHANNEL"), (SendMessages, "SEND_MESSAGES"),
        (EmbedLinks, "EMBED_LINKS"), (ReadMessageHistory, "READ_MESSAGE_HISTORY"),
    ];

    /// <summary>
    /// The permissions of <paramref name="userId"/> (holding <paramref name="memberRoleIds"/>) in <paramref name="channel"/>:
    /// the guild owner and ADMINISTRATOR get everything; otherwise @everyone's and the member's role permissions,
    /// then the channel's overwrites for @everyone, for the member's roles together, and for the member.
    /// </summary>
    public static ulong InChannel(DiscordGuild guild, IReadOnlyList<string> memberRoleIds, string userId, DiscordChannel channel)
    {
        ArgumentNullException.ThrowIfNull(guild);
        ArgumentNullException.ThrowIfNull(memberRoleIds);
        ArgumentNullException.ThrowIfNull(channel);
        if (guild.OwnerId == userId)
        {
            return All;
        }

        var roles = (guild.Roles ?? []).ToDictionary(role => role.Id, role => Parse(role.Permissions), StringComparer.Ordinal);
        var permissions = roles.GetValueOrDefault(guild.Id);
        foreach (var roleId in memberRoleIds)
        {
            permissions |= roles.GetValueOrDefault(roleId);
        }

        if ((permissions & Administrator) != 0)
        {
            return All;
        }

        var overwrites = channel.PermissionOverwrites ?? [];
        if (overwrites.FirstOrDefault(o => o.Id == guild.Id) is { } everyone)
        {
            permissions = (permissions & ~Parse(everyone.Deny)) | Parse(everyone.Allow);
        }

        ulong roleAllow = 0, roleDeny = 0;
        foreach (var overwrite in overwrites.Where(o => o.Type == 0 && memberRoleIds.Contains(o.Id, StringComparer.Ordinal)))
        {
            roleAllow |= Parse(overwrite.Allow);
            roleDeny |= Parse(overwrite.Deny);
        }

        permissions = (permissions & ~roleDeny) | roleAllow;
        if (overwrites.FirstOrDefault(o => o.Type == 1 && o.Id == userId) is { } member)
        {
            permissions = (permissions & ~Parse(member.Deny)) | Parse(member.Allow);
        }

        return permissions;
    }

    /// <summary>The names of the bits in <paramref name="permissions"/> this class knows, e.g. <c>SEND_MESSAGES, EMBED_LINKS</c>.</summary>
    public static string Describe(ulong permissions)
    {
        var text = new StringBuilder();
        foreach (var (bit, name) in Names.Where(entry => (permissions & entry.Bit) != 0))
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(name);
        }

        return text.ToString();
    }

    private static ulong Parse(string? value) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : 0;
}
