using Bot.Core.Quiz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Host.Terminal;

public static class TerminalServiceCollectionExtensions
{
    /// <summary>The terminal as a daily-quiz target: questions and reveals are printed to stdout.</summary>
    public static IServiceCollection AddTerminalDailyPublisher(this IServiceCollection services)
    {
        // Made by a factory, not by the container choosing a constructor: looking at the constructors would load
        // Spectre.Console (for the one that takes an IAnsiConsole) into every serve.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDailyQuizPublisher, TerminalDailyPublisher>(_ => new TerminalDailyPublisher()));
        return services;
    }
}
