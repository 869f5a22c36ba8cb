using Bot.Tests.Shared;

namespace Bot.Tests.Harness;

/// <summary>
/// The one shape of an end-to-end harness, whatever the platform: the platform's fake starts first,
/// then a real <c>bot serve</c> configured for it by environment, as an operator would, ready before
/// the first test; both stop after the last. A platform supplies its fake and its settings.
/// </summary>
public abstract class ServeFixture<TPlatform> : IAsyncLifetime
    where TPlatform : class, IAsyncDisposable
{
    /// <summary>The platform's fake, which records what the bot sent and checks it against the platform's rules.</summary>
    protected TPlatform Platform { get; private set; } = null!;

    internal BotServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await StartPlatformAsync();
        Server = await BotServer.StartAsync(Environment(Platform));
        await Server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Platform is not null)
        {
            await Platform.DisposeAsync();
        }
    }

    protected abstract Task<TPlatform> StartPlatformAsync();

    /// <summary>The bot's settings for <paramref name="platform"/>, as environment variables.</summary>
    protected abstract Dictionary<string, string> Environment(TPlatform platform);

    /// <summary>
    /// Settings both platforms' harnesses share: a daily quiz to <paramref name="channel"/> whose slot,
    /// yesterday's midnight, is inside the catch-up grace, so the question goes out at start and is
    /// revealed 12 s later; and a regex time limit a busy machine does not reach before the reply's own limits.
    /// </summary>
    protected static Dictionary<string, string> Shared(string platform, string workspace, string channel) => new()
    {
        ["Content__Watch"] = "false",
        ["DailyQuiz__Cron"] = "0 0 * * *",
        ["DailyQuiz__CatchUpGrace"] = "1.00:00:00",
        ["DailyQuiz__RevealAfter"] = "00:00:12",
        ["DailyQuiz__Targets__0__Platform"] = platform,
        ["DailyQuiz__Targets__0__Workspace"] = workspace,
        ["DailyQuiz__Targets__0__Channel"] = channel,
        ["RegexTest__Timeout"] = "00:00:02",
    };
}
