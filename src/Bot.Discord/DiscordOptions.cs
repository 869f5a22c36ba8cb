using Bot.Adapters;

namespace Bot.Discord;

/// <summary>How interactions reach the bot. The two are exclusive on Discord's side too.</summary>
public enum DiscordTransport
{
    /// <summary>An outbound WebSocket to the gateway: no public URL needed.</summary>
    Gateway,

    /// <summary>Discord POSTs signed interactions to <c>/discord/interactions</c>; needs a public HTTPS URL.</summary>
    Http,
}

/// <summary>The <c>Discord</c> section. The adapter runs when <see cref="BotToken"/> is set.</summary>
public sealed class DiscordOptions
{
    public const string Section = "Discord";

    public static readonly Uri DefaultApiBaseUrl = new("https://discord.com/api/v10/");

    /// <summary>Secret: from the environment (<c>Discord__BotToken</c>) or <c>/run/secrets</c>, never appsettings.json.</summary>
    public string? BotToken { get; set; }

    /// <summary>The application's snowflake id, from the Developer Portal's General Information page.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>Hex Ed25519 public key (64 characters) that signs HTTP interactions; required for <see cref="DiscordTransport.Http"/>.</summary>
    public string? PublicKey { get; set; }

    public DiscordTransport Transport { get; set; } = DiscordTransport.Gateway;

    /// <summary>REST base including the version; tests point it at a loopback fake.</summary>
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// How long a command may take before its interaction is deferred and the answer sent as an edit;
    /// at most <see cref="AnswerDeadline.Latest"/>, since Discord invalidates an interaction not answered within 3 s.
    /// </summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Retries of Discord's server errors and of network failures (<c>Discord:Retry:MaxRetries</c>, <c>Discord:Retry:FirstDelay</c>).</summary>
    public TransientRetryOptions Retry { get; set; } = new();

    /// <summary>When set, commands are registered per guild (instantly) instead of globally.</summary>
    public List<string> GuildIds { get; set; } = [];

    /// <summary>This process's shard (0-based) when the bot is sharded; with <see cref="ShardCount"/>.</summary>
    public int? ShardId { get; set; }

    public int? ShardCount { get; set; }

    /// <summary>Configuration keys that hold secrets: the host refuses them in settings files.</summary>
    public static IReadOnlyList<string> SecretKeys { get; } = [$"{Section}:{nameof(BotToken)}"];

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>What to do when Discord refuses the token; every part of the adapter says the same.</summary>
    public const string TokenFix = "set Discord__BotToken to the token from the Developer Portal's Bot page";
}
