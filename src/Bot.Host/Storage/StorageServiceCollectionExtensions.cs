using Bot.Core.Explain;
using Bot.Core.Quiz;
using Bot.Host.Daily;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The SQLite database at <c>Storage:Path</c>, created or upgraded at start; <c>/explain</c> misses
    /// are queued and written to it in the background.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Path), "Storage:Path must name the database file, e.g. data/bot.db.")
            .ValidateOnStart();
        services.AddSingleton(provider => new SqliteDatabase(provider.GetRequiredService<IOptions<StorageOptions>>().Value.Path));
        services.AddSingleton<IQuizStore, SqliteQuizStore>();
        services.AddSingleton<IDailyPostStore, SqliteDailyPostStore>();
        services.AddHostedService<StorageService>();
        services.AddSingleton(provider => new UnansweredLookupStore(provider.GetRequiredService<SqliteDatabase>().DatabasePath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UnansweredLookupQueue>();
        services.Replace(ServiceDescriptor.Singleton<IUnansweredLookups>(provider => provider.GetRequiredService<UnansweredLookupQueue>()));
        // After StorageService, so that the schema exists before the first write; stopped before it too.
        services.AddHostedService<UnansweredLookupWriter>();
        return services;
    }
}
