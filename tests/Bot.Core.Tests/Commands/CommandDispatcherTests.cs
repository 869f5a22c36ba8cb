using Bot.Core.Commands;
using Bot.Core.Help;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Commands;

/// <summary>The dispatcher finds each request's handler by the request's type; the services give it every handler.</summary>
public class CommandDispatcherTests
{
    private static readonly Caller Ann = new(Platform.Discord, "G1", "C1", "U1", "Ann");

    [Fact]
    public async Task Dispatch_EveryCatalogCommand_ReachesItsOwnHandlerThroughTheServices()
    {
        await using var services = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton(Course.Source)
            .AddSingleton<IQuizStore>(new InMemoryQuizStore())
            .AddBotCore()
            .BuildServiceProvider();
        var dispatcher = services.GetRequiredService<CommandDispatcher>();

        foreach (var command in CommandCatalog.All)
        {
            var options = command.Options.Where(option => option.Required).ToDictionary(option => option.Name, _ => "a");
            var request = Assert.IsType<ParsedRequest>(command.Build(options)).Request;

            var result = await dispatcher.DispatchAsync(request, Ann, CancellationToken.None);

            Assert.Equal(command.Name, result.Command);
        }
    }

    [Fact]
    public async Task Dispatch_ARequestWithoutAHandler_NamesTheMissingHandler()
    {
        var dispatcher = new CommandDispatcher([new HelpHandler(Course.Source)]);

        Assert.Equal(CommandCatalog.Help.Name, (await dispatcher.DispatchAsync(new HelpRequest(), Ann, CancellationToken.None)).Command);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchAsync(new StatsRequest(), Ann, CancellationToken.None));
        Assert.Contains("ICommandHandler<StatsRequest>", missing.Message, StringComparison.Ordinal);
    }
}
