using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.Regex;
using Bot.Host.Content;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Bot.Host.Terminal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace Bot.Host;

/// <summary>How a verb wants the shared host set up.</summary>
/// <param name="Quiet">Log warnings and errors only, so that a chat or a one-shot answer stays readable.</param>
/// <param name="WatchContent">Allow hot reload (still subject to <c>Content:Watch</c>).</param>
/// <param name="DailyQuiz">Run the daily-quiz scheduler (only the long-running <c>serve</c> verb does).</param>
internal sealed record HostMode(bool Quiet, bool WatchContent, bool DailyQuiz = false);

/// <summary>Builds the generic host every verb runs in, and maps start-up failures to exit codes.</summary>
internal static class BotHost
{
    /// <summary>Docker and Kubernetes mount secrets here, one file per key (e.g. <c>Discord__BotToken</c>).</summary>
    public const string SecretsDirectory = "/run/secrets";

    public static HostApplicationBuilder CreateBuilder(HostMode mode)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddKeyPerFile(SecretsDirectory, optional: true);
        if (!mode.WatchContent)
        {
            builder.Configuration.AddInMemoryCollection([new($"{ContentOptions.Section}:{nameof(ContentOptions.Watch)}", "false")]);
        }

        builder.Services.AddSerilog((_, logger) => ConfigureLogging(logger, builder.Configuration, mode.Quiet));
        builder.Services.AddSingleton(builder.Configuration.GetSection(RegexTestLimits.Section).Get<RegexTestLimits>() ?? new RegexTestLimits());
        builder.Services.AddBotCore();
        builder.Services.AddContent();
        builder.Services.AddStorage();
        if (mode.DailyQuiz)
        {
            builder.Services.AddDailyQuiz();
        }

        return builder;
    }

    /// <summary>
    /// Starts the host, runs <paramref name="run"/>, stops the host. Content and configuration
    /// errors at start are printed to stderr and become exit codes instead of stack traces.
    /// </summary>
    public static async Task<int> RunAsync(HostMode mode, Func<IServiceProvider, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        using var host = CreateBuilder(mode).Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (InvalidKnowledgeBaseException invalid)
        {
            await Console.Error.WriteLineAsync("The knowledge base has errors; not starting:");
            foreach (var error in invalid.Errors)
            {
                await Console.Error.WriteLineAsync(error.ToString());
            }

            return ExitCodes.InvalidContent;
        }
        catch (StorageUnavailableException unavailable)
        {
            await Console.Error.WriteLineAsync($"Storage error: {unavailable.Message}");
            return ExitCodes.StorageUnavailable;
        }
        catch (OptionsValidationException invalid)
        {
            foreach (var failure in invalid.Failures)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            }

            return ExitCodes.InvalidConfiguration;
        }

        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            return await run(host.Services, stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static void ConfigureLogging(LoggerConfiguration logger, ConfigurationManager configuration, bool quiet)
    {
        logger.ReadFrom.Configuration(configuration).Enrich.FromLogContext()
            // A failed start is reported once, readably, by RunAsync (or Program.cs); not again with a stack trace.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal);
        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            // Without appsettings.json still log, and to stderr, so stdout stays clean for --json.
            logger.WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose);
        }

        if (quiet)
        {
            logger.MinimumLevel.Warning();
        }
    }

    private static IServiceCollection AddContent(this IServiceCollection services)
    {
        services.AddOptions<ContentOptions>()
            .BindConfiguration(ContentOptions.Section)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Path), "Content:Path must name the content folder.")
            .Validate(options => options.ReloadDelay >= TimeSpan.Zero && options.ReloadDelay <= TimeSpan.FromSeconds(10),
                "Content:ReloadDelay must be between 00:00:00 and 00:00:10.")
            .ValidateOnStart();
        services.AddSingleton<ContentService>();
        services.AddSingleton<IKnowledgeBaseSource>(provider => provider.GetRequiredService<ContentService>());
        services.AddHostedService(provider => provider.GetRequiredService<ContentService>());
        return services;
    }

    private static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .Validate(options => !string.IsNullOrWhiteSpace(options.Path), "Storage:Path must name the database file, e.g. data/bot.db.")
            .ValidateOnStart();
        services.AddSingleton(provider => new SqliteStore(provider.GetRequiredService<IOptions<StorageOptions>>().Value.Path));
        services.AddSingleton<IQuizStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IDailyPostStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddHostedService<StorageService>();
        return services;
    }

    private static IServiceCollection AddDailyQuiz(this IServiceCollection services)
    {
        services.AddOptions<DailyQuizOptions>().BindConfiguration(DailyQuizOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DailyQuizOptions>, DailyQuizOptionsValidator>();
        services.AddSingleton<IDailyQuizPublisher, TerminalDailyPublisher>();
        services.AddHostedService<DailyQuizScheduler>();
        return services;
    }
}
