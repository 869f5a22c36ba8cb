namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// Discord permission bits (developers/topics/permissions, "Bitwise Permission Flags") that the fake's guild
/// model uses and tests shape it with. On the wire they are decimal strings (<c>"1024"</c>).
/// </summary>
public static class FakePermissions
{
    /// <summary>ADMINISTRATOR (1 &lt;&lt; 3): all permissions, and channel overwrites no longer apply.</summary>
    public const ulong Administrator = 1UL << 3;

    /// <summary>ADD_REACTIONS (1 &lt;&lt; 6).</summary>
    public const ulong AddReactions = 1UL << 6;

    /// <summary>VIEW_CHANNEL (1 &lt;&lt; 10): see the channel and read its messages.</summary>
    public const ulong ViewChannel = 1UL << 10;

    /// <summary>SEND_MESSAGES (1 &lt;&lt; 11).</summary>
    public const ulong SendMessages = 1UL << 11;

    /// <summary>SEND_TTS_MESSAGES (1 &lt;&lt; 12).</summary>
    public const ulong SendTtsMessages = 1UL << 12;

    /// <summary>MANAGE_MESSAGES (1 &lt;&lt; 13).</summary>
    public const ulong ManageMessages = 1UL << 13;

    /// <summary>EMBED_LINKS (1 &lt;&lt; 14).</summary>
    public const ulong EmbedLinks = 1UL << 14;

    /// <summary>ATTACH_FILES (1 &lt;&lt; 15).</summary>
    public const ulong AttachFiles = 1UL << 15;

    /// <summary>READ_MESSAGE_HISTORY (1 &lt;&lt; 16).</summary>
    public const ulong ReadMessageHistory = 1UL << 16;

    /// <summary>MENTION_EVERYONE (1 &lt;&lt; 17).</summary>
    public const ulong MentionEveryone = 1UL << 17;

    /// <summary>USE_APPLICATION_COMMANDS (1 &lt;&lt; 31).</summary>
    public const ulong UseApplicationCommands = 1UL << 31;

    /// <summary>
    /// Every permission Discord documents: bits 0–52 except 47, which the table skips. What the guild owner and
    /// ADMINISTRATOR get ("ALL" in the docs' pseudocode).
    /// </summary>
    public const ulong All = ((1UL << 53) - 1) & ~(1UL << 47);

    /// <summary>What the daily quiz needs in its channel: view it, post, embed, and read back its own post.</summary>
    public const ulong DailyQuizNeeds = ViewChannel | SendMessages | EmbedLinks | ReadMessageHistory;

    /// <summary>
    /// The @everyone role's permissions in the fake's new guilds: "49794752", the value of the @everyone role in
    /// the docs' Get Guild example response (it includes VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS and
    /// READ_MESSAGE_HISTORY).
    /// </summary>
    public const ulong EveryoneDefault = 49794752;

    /// <summary>The bot's managed role in the fake's new guilds: what an invite asking for <see cref="DailyQuizNeeds"/> grants.</summary>
    public const ulong BotRoleDefault = DailyQuizNeeds;
}
