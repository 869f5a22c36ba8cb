using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The platform-neutral handlers and the command pipeline. The host supplies an
    /// <see cref="Knowledge.IKnowledgeBaseSource"/>, an <see cref="IQuizStore"/>, logging, and may replace the
    /// no-op <see cref="IUnansweredLookups"/> with one that keeps the misses, and bind
    /// <see cref="RegexTestLimits"/> to configuration (they are validated at start). The host's
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> makes <see cref="BotMetrics"/>.
    /// </summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUnansweredLookups>(NoUnansweredLookups.Instance);
        AddCommandHandler<ExplainHandler>(services);
        AddCommandHandler<HelpHandler>(services);
        AddCommandHandler<QuizHandler>(services);
        AddCommandHandler<StatsHandler>(services);
        services.AddOptions<RegexTestLimits>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegexTestLimits>, RegexTestLimitsValidator>());
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<RegexTestLimits>>().Value);
        AddCommandHandler<RegexTestHandler>(services);
        services.TryAddSingleton<CommandDispatcher>();
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton<CommandPipeline>();
        return services;
    }

    /// <summary>A handler is a service of its own (the CLI and tests call it directly) and one of the dispatcher's.</summary>
    private static void AddCommandHandler<THandler>(IServiceCollection services)
        where THandler : class, ICommandHandler
    {
        services.TryAddSingleton<THandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommandHandler, THandler>(provider => provider.GetRequiredService<THandler>()));
    }
}
