using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Quiz;
using Bot.Core.Regex;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The platform-neutral handlers. The host supplies an <see cref="Knowledge.IKnowledgeBaseSource"/>
    /// and an <see cref="IQuizStore"/>.
    /// </summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ExplainHandler>();
        services.TryAddSingleton<HelpHandler>();
        services.TryAddSingleton<QuizHandler>();
        services.TryAddSingleton<StatsHandler>();
        services.TryAddSingleton<RegexTestLimits>();
        services.TryAddSingleton<RegexTestHandler>();
        services.TryAddSingleton<CommandDispatcher>();
        return services;
    }
}
