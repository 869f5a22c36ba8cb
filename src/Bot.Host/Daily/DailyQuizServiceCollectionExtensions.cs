using Bot.Core.Quiz;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Host.Daily;

public static class DailyQuizServiceCollectionExtensions
{
    /// <summary>
    /// The daily-quiz scheduler for <c>DailyQuiz:Targets</c>. Each platform adapter registers its own
    /// <see cref="Core.Quiz.IDailyQuizPublisher"/>; a target whose platform has none is given up with an error.
    /// </summary>
    public static IServiceCollection AddDailyQuiz(this IServiceCollection services)
    {
        services.AddOptions<DailyQuizOptions>().BindConfiguration(DailyQuizOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DailyQuizOptions>>(provider => new DailyQuizOptionsValidator(
            platform => provider.GetServices<IDailyQuizPublisher>().Any(publisher => publisher.Platform == platform)));
        services.AddHostedService<DailyQuizScheduler>();
        return services;
    }
}
