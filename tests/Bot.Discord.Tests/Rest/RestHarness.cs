using Bot.Discord.Rest;
using Bot.Discord.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Rest;

/// <summary>The REST client as the host registers it, pointed at a loopback <see cref="FakeDiscord"/>, logging into a list.</summary>
internal sealed class RestHarness : IAsyncDisposable
{
    public const string GuildId = "1000000000000000001";
    public const string ChannelId = "1000000000000000002";

    private readonly ServiceProvider _services;

    private RestHarness(FakeDiscord fake, ServiceProvider services, ListLoggerProvider logs)
    {
        Fake = fake;
        _services = services;
        Logs = logs;
        Client = services.GetRequiredService<DiscordRestClient>();
    }

    public FakeDiscord Fake { get; }

    public DiscordRestClient Client { get; }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _services;

    public static async Task<RestHarness> StartAsync()
    {
        var fake = await FakeDiscord.StartAsync();
        fake.AddChannel(ChannelId, GuildId);
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        // Trace, so that any request logging the factory might still do would be caught by the token checks.
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.Configure<DiscordOptions>(options =>
        {
            options.BotToken = FakeDiscord.BotToken;
            options.ApplicationId = FakeDiscord.ApplicationId;
            options.ApiBaseUrl = fake.ApiBaseUrl;
        });
        services.AddDiscordRest();
        return new RestHarness(fake, services.BuildServiceProvider(), logs);
    }

    public static object TextMessage(string content) => new { Content = content, AllowedMentions = new { Parse = Array.Empty<string>() } };

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
