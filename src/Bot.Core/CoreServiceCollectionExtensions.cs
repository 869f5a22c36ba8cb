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
        services.TryAddSingleton<ExplainHandler>();
        services.TryAddSingleton<HelpHandler>();
        services.TryAddSingleton<QuizHandler>();
        services.TryAddSingleton<StatsHandler>();
        services.AddOptions<RegexTestLimits>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegexTestLimits>, RegexTestLimitsValidator>());
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<RegexTestLimits>>().Value);
        services.TryAddSingleton<RegexTestHandler>();
        services.TryAddSingleton<CommandDispatcher>();
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton<CommandPipeline>();
        services.TryAddSingleton<InFlightWork>();
        return services;
    }
}
