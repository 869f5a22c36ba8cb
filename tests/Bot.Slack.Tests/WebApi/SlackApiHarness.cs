using Bot.Slack.Tests.Fakes;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.WebApi;

/// <summary>The Web API client as the host registers it, pointed at a loopback <see cref="FakeSlack"/>, logging into a list.</summary>
internal sealed class SlackApiHarness : IAsyncDisposable
{
    public const string ChannelId = "C0CS101";
    public const string UserId = "U0STUDENT";

    private readonly ServiceProvider _services;

    private SlackApiHarness(FakeSlack fake, ServiceProvider services, ListLoggerProvider logs)
    {
        Fake = fake;
        _services = services;
        Logs = logs;
        Client = services.GetRequiredService<SlackWebApiClient>();
    }

    public FakeSlack Fake { get; }

    public SlackWebApiClient Client { get; }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _services;

    public static async Task<SlackApiHarness> StartAsync(string botToken = FakeSlack.BotToken, string appToken = FakeSlack.AppToken)
    {
        var fake = await FakeSlack.StartAsync();
        fake.AddChannel(ChannelId);
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        // Trace, so that any request logging the factory might still do would be caught by the secret checks.
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.Configure<SlackOptions>(options =>
        {
            options.BotToken = botToken;
            options.AppToken = appToken;
            options.ApiBaseUrl = fake.ApiBaseUrl;
        });
        services.AddSlackWebApi();
        return new SlackApiHarness(fake, services.BuildServiceProvider(), logs);
    }

    public static object Text(string text, string channel = ChannelId) => new { Channel = channel, Text = text };

    /// <summary>Every exception text and log line, for searching for secrets.</summary>
    public string Everything(params Exception[] exceptions) =>
        string.Join("\n", exceptions.Select(exception => exception.ToString()))
        + "\n" + string.Join("\n", Logs.Entries.Select(line => $"{line.Category} {line.Message} {line.Values} {line.Exception}"));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
