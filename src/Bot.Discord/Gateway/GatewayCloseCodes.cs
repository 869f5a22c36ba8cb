namespace Bot.Discord.Gateway;

/// <summary>What a gateway close code asks the client to do next.</summary>
internal enum CloseAction
{
    /// <summary>Reconnect to <c>resume_gateway_url</c> and Resume (or Identify when there is no session yet).</summary>
    Resume,

    /// <summary>The session is gone: reconnect to the cached gateway URL and Identify.</summary>
    NewSession,

    /// <summary>Reconnecting cannot help until an operator changes something.</summary>
    Fatal,
}

/// <summary>Discord's gateway close event codes and what each one means for this client.</summary>
internal static class GatewayCloseCodes
{
    public const int AuthenticationFailed = 4004;
    public const int InvalidSequence = 4007;
    public const int SessionTimedOut = 4009;
    public const int InvalidShard = 4010;
    public const int ShardingRequired = 4011;
    public const int InvalidApiVersion = 4012;
    public const int InvalidIntents = 4013;
    public const int DisallowedIntents = 4014;

    /// <summary>
    /// What this client sends when it leaves a connection it means to resume: 1000 and 1001 would end the
    /// session (the bot goes offline), any other code keeps it resumable for a few minutes.
    /// </summary>
    public const int ClientReconnecting = 4000;

    public static CloseAction Classify(int? code) => code switch
    {
        AuthenticationFailed or InvalidShard or ShardingRequired or InvalidApiVersion or InvalidIntents or DisallowedIntents
            => CloseAction.Fatal,
        InvalidSequence or SessionTimedOut => CloseAction.NewSession,
        // Unknown error, decode error, rate limited, no close frame at all, and codes the table does not list.
        _ => CloseAction.Resume,
    };

    /// <summary>For the Failed status: what happened and what the operator should change.</summary>
    public static string FatalDetail(int code) => code switch
    {
        AuthenticationFailed =>
            "Discord rejected the bot token (close 4004): " + DiscordOptions.TokenFix,
        InvalidShard =>
            "Discord rejected the shard (close 4010): set Discord__ShardId to a value below Discord__ShardCount, or remove both",
        ShardingRequired =>
            "Discord requires sharding (close 4011): the bot is in too many guilds for one connection; set Discord__ShardCount "
            + "(GET /gateway/bot suggests a value) and run one process per Discord__ShardId",
        InvalidApiVersion =>
            "Discord rejected gateway API version 10 (close 4012): update the bot to a release that speaks a supported version",
        InvalidIntents =>
            "Discord rejected the gateway intents (close 4013): the bot identifies with intents 0; report this as a bug",
        DisallowedIntents =>
            "Discord refused privileged intents (close 4014): enable them under Privileged Gateway Intents on the Developer "
            + "Portal's Bot page, or stop requesting them",
        _ => $"Discord closed the gateway with {code} and reconnecting cannot help",
    };
}
