using Bot.Core.Explain;
using Bot.Core.Quiz;
using Bot.Host.Daily;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The database <c>Storage:Provider</c> names (the SQLite file at <c>Storage:Path</c>, or the PostgreSQL database
    /// of <c>ConnectionStrings:Postgres</c>), created or upgraded at start; <c>/explain</c> misses are queued and
    /// written to it in the background.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.PostgresConnectionString = configuration[StorageOptions.PostgresConnectionStringKey])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IStorageDatabase>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Kind == StorageProvider.Postgres
                ? new PostgresDatabase(options.PostgresConnectionString!, provider.GetRequiredService<ILoggerFactory>())
                : new SqliteDatabase(options.Path);
        });
        services.AddSingleton<IQuizStore>(provider => provider.GetRequiredService<IStorageDatabase>() switch
        {
            PostgresDatabase postgres => new PostgresQuizStore(postgres),
            var database => new SqliteQuizStore((SqliteDatabase)database),
        });
        services.AddSingleton<IDailyPostStore>(provider => provider.GetRequiredService<IStorageDatabase>() switch
        {
            PostgresDatabase postgres => new PostgresDailyPostStore(postgres),
            var database => new SqliteDailyPostStore((SqliteDatabase)database),
        });
        services.AddHostedService<StorageService>();
        services.AddSingleton<IUnansweredLookupStore>(provider => provider.GetRequiredService<IStorageDatabase>() switch
        {
            PostgresDatabase postgres => new PostgresUnansweredLookupStore(postgres),
            var database => new SqliteUnansweredLookupStore(((SqliteDatabase)database).DatabasePath),
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UnansweredLookupQueue>();
        services.Replace(ServiceDescriptor.Singleton<IUnansweredLookups>(provider => provider.GetRequiredService<UnansweredLookupQueue>()));
        // After StorageService, so that the schema exists before the first write; stopped before it too.
        services.AddHostedService<UnansweredLookupWriter>();
        return services;
    }
}

/// <summary>The provider is one of the two, and what it needs is there: a file path, or a connection string that parses.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    private const string ConnectionStringExample = "Host=db;Database=bot;Username=bot;Password=...";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var variable = StorageOptions.PostgresConnectionStringKey.Replace(":", "__", StringComparison.Ordinal);
        switch (options.Kind)
        {
            case null:
                return ValidateOptionsResult.Fail(
                    $"{StorageOptions.Section}:{nameof(StorageOptions.Provider)} is '{options.Provider}', which is not a storage provider: set it to Sqlite (the default, a file at Storage:Path) or Postgres (the database of {StorageOptions.PostgresConnectionStringKey}).");
            case StorageProvider.Sqlite when string.IsNullOrWhiteSpace(options.Path):
                return ValidateOptionsResult.Fail("Storage:Path must name the database file, e.g. data/bot.db.");
            case StorageProvider.Postgres when string.IsNullOrWhiteSpace(options.PostgresConnectionString):
                return ValidateOptionsResult.Fail(
                    $"Storage:Provider is Postgres but {StorageOptions.PostgresConnectionStringKey} is not set: set the environment variable {variable}, or write a file {BotHost.SecretsDirectory}/{variable}, to a connection string such as {ConnectionStringExample}.");
            case StorageProvider.Postgres:
                try
                {
                    PostgresDatabase.Parse(options.PostgresConnectionString!);
                }
                catch (ArgumentException invalid)
                {
                    return ValidateOptionsResult.Fail($"{StorageOptions.PostgresConnectionStringKey} cannot be used: {invalid.Message}.");
                }

                break;
        }

        return ValidateOptionsResult.Success;
    }
}
