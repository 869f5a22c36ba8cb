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
    public async Task Dispatch_CommandsAnsweredFromMemory_FinishBeforeReturningWithoutTouchingStorage()
    {
        await using var services = new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddSingleton(Course.Source)
            .AddSingleton(StorageNotAllowed.Create())
            .AddBotCore()
            .BuildServiceProvider();
        var dispatcher = services.GetRequiredService<CommandDispatcher>();
        var fromMemory = CommandCatalog.All.Where(command => command.AnswersFromMemory).ToList();

        Assert.Equal(["explain", "help"], fromMemory.Select(command => command.Name));
        foreach (var text in new[] { "/explain closures", "/explain", "/explain why are threads slow example", "/explain metaclasses", "/help" })
        {
            var request = Assert.IsType<ParsedRequest>(CommandText.ParseLine(text)).Request;

            var running = dispatcher.DispatchAsync(request, Ann, CancellationToken.None);

            Assert.True(running.IsCompletedSuccessfully, text);
            Assert.False(string.IsNullOrEmpty((await running).Reply.Title), text);
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

    /// <summary>A quiz store whose every call fails the test: the commands answered from memory must not reach it.</summary>
    public class StorageNotAllowed : System.Reflection.DispatchProxy
    {
        public static IQuizStore Create() => Create<IQuizStore, StorageNotAllowed>();

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"{targetMethod?.Name} was called by a command the catalog says is answered from memory.");
    }
}
