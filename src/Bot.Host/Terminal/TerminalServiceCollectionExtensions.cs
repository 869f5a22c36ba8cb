using Bot.Core.Quiz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Host.Terminal;

public static class TerminalServiceCollectionExtensions
{
    /// <summary>The terminal as a daily-quiz target: questions and reveals are printed to stdout.</summary>
    public static IServiceCollection AddTerminalDailyPublisher(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDailyQuizPublisher, TerminalDailyPublisher>());
        return services;
    }
}
