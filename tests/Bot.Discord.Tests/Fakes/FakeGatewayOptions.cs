namespace Bot.Discord.Tests.Fakes;

/// <summary>How the fake Discord gateway greets, times and judges a client.</summary>
public sealed class FakeGatewayOptions
{
    /// <summary>The bot token an Identify or Resume must carry (without the "Bot " prefix, as on the real gateway).</summary>
    public string ExpectedToken { get; init; } = "fake-discord-bot-token";

    /// <summary>The <c>heartbeat_interval</c> announced in Hello, in milliseconds. Discord's real value is about 41250-45000.</summary>
    public int HeartbeatIntervalMs { get; init; } = 45000;

    /// <summary>
    /// A heartbeat may arrive up to interval × this factor after the previous one (or after Hello for the first);
    /// once that deadline passes the fake records a Problem and closes the connection.
    /// </summary>
    public double HeartbeatGraceFactor { get; init; } = 1.5;

    /// <summary>
    /// Close code used when a client misses its heartbeat deadline. Discord's gateway page says a client that
    /// "fails to send a heartbeat event in time" has its connection closed and "will be forced to Resume", so the
    /// default is 4000 (unknown error, reconnect allowed), which leaves the session resumable. 4009 ("session timed
    /// out, start a new one") would contradict that sentence; set it here to test a client's 4009 path instead,
    /// and the session is then discarded as for any 4009.
    /// </summary>
    public int HeartbeatTimeoutCloseCode { get; init; } = 4000;

    /// <summary>
    /// After the fake sends op 1 (heartbeat request) the client must heartbeat "immediately"; a reply slower than
    /// this is recorded as a Problem (the connection stays open).
    /// </summary>
    public TimeSpan RequestedHeartbeatDeadline { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Payloads a client may send on one connection per 60 seconds (Discord: 120); one more closes with 4008.</summary>
    public int PayloadsPerMinute { get; init; } = 120;

    /// <summary>
    /// Window of the identify rate limit (Discord: <c>max_concurrency</c> = 1 identify per 5 seconds). A second
    /// Identify inside the window is recorded as a Problem.
    /// </summary>
    public TimeSpan IdentifyRateLimitWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When true an Identify over the rate limit is answered like Discord does, with op 9 (<c>d:false</c>) instead of
    /// READY. Off by default so that a test which only wants the Problem recorded still gets a session.
    /// </summary>
    public bool RejectIdentifiesOverRateLimit { get; init; }

    /// <summary>Privileged intent bits the application is approved for; requesting any other privileged bit closes with 4014.</summary>
    public long ApprovedPrivilegedIntents { get; init; }

    /// <summary>Snowflake of the bot user reported in READY.</summary>
    public string BotUserId { get; init; } = "1100000000000000000";

    /// <summary>Username of the bot user reported in READY.</summary>
    public string BotUsername { get; init; } = "tutor-bot";

    /// <summary>Snowflake of the application reported in READY (Discord uses the bot user's id).</summary>
    public string ApplicationId { get; init; } = "1100000000000000000";

    /// <summary><c>application.flags</c> reported in READY.</summary>
    public long ApplicationFlags { get; init; }
}
