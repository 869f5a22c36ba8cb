using Bot.Core;
using Bot.Discord;
using Bot.Core.RegexTest;
using Bot.Host.Content;
using Bot.Host.Logging;
using Bot.Host.Storage;
using Bot.Slack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace Bot.Host;

/// <summary>Builds the hosts the verbs run in, and maps start-up failures to exit codes.</summary>
internal static partial class BotHost
{
    /// <summary>Docker and Kubernetes mount secrets here, one file per key (e.g. <c>Discord__BotToken</c>).</summary>
    public const string SecretsDirectory = "/run/secrets";

    /// <summary>The port <c>serve</c> listens on when no address is configured, as in the official ASP.NET images.</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary>A host for the terminal chat and the one-shot verbs: content, storage and the handlers; no web server.</summary>
    /// <param name="quiet">Log warnings and errors only, so that a chat or a one-shot answer stays readable.</param>
    /// <param name="watchContent">Allow hot reload (still subject to <c>Content:Watch</c>).</param>
    public static HostApplicationBuilder CreateBuilder(bool quiet, bool watchContent) => CreateBuilder(quiet, watchContent, loadContentEarly: true);

    /// <summary>The configuration every host reads (settings files, environment, <c>/run/secrets</c>), for verbs that need only that.</summary>
    public static IConfiguration ReadConfiguration() => CreateBuilder(quiet: true, watchContent: false, loadContentEarly: false).Configuration;

    private static HostApplicationBuilder CreateBuilder(bool quiet, bool watchContent, bool loadContentEarly)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        AddBotServices(builder, quiet, watchContent, loadContentEarly);
        return builder;
    }

    /// <summary>
    /// What every web host starts from: Kestrel (on <see cref="DefaultHttpPort"/> unless an address is
    /// configured), the settings and <c>/run/secrets</c>, logging, content, storage and Core.
    /// <paramref name="args"/> are ASP.NET Core's own switches, e.g. <c>--urls</c>.
    /// </summary>
    /// <param name="quiet">Log warnings and errors only (<c>doctor</c>, which builds the server to inspect it but never starts it).</param>
    public static WebApplicationBuilder CreateWebBuilder(string[] args, bool quiet)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        if (!HasConfiguredAddress(builder.Configuration))
        {
            builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        AddBotServices(builder, quiet, watchContent: true, loadContentEarly: true);
        return builder;
    }

    /// <summary>True when a chat platform has a token, so that running with no verb should serve it.</summary>
    public static bool AnyPlatformConfigured()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddKeyPerFile(SecretsDirectory, optional: true)
            .Build();
        return DiscordServiceCollectionExtensions.IsConfigured(configuration) || SlackServiceCollectionExtensions.IsConfigured(configuration);
    }

    /// <summary>
    /// Starts the host, runs <paramref name="run"/>, stops the host. Content and configuration
    /// errors at start are printed to stderr and become exit codes instead of stack traces.
    /// </summary>
    public static async Task<int> RunAsync(IHost host, Func<IServiceProvider, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (SettingsFileSecrets.Find(host.Services.GetRequiredService<IConfiguration>()) is { Count: > 0 } misplaced)
        {
            foreach (var problem in misplaced)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {problem}");
            }

            return ExitCodes.InvalidConfiguration;
        }

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
        catch (InvalidOperationException unconvertible) when (IsUnconvertibleValue(unconvertible))
        {
            // The binder's own message names the value, the key and the type, e.g. 'Websocket' at 'Discord:Transport'.
            await Console.Error.WriteLineAsync($"Configuration error: {unconvertible.Message}");
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

    /// <summary>The configuration binder's failure to convert a value (its message names the value, the key and the type).</summary>
    public static bool IsUnconvertibleValue(Exception exception) =>
        exception is InvalidOperationException && exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal);

    /// <summary>Logs where Kestrel listens (tests and operators read the port from here when it was 0).</summary>
    public static void LogAddresses(IServiceProvider services)
    {
        var addresses = string.Join(", ", services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Bot.Host.Serve");
        LogListening(logger, addresses);
    }

    private static void AddBotServices(IHostApplicationBuilder builder, bool quiet, bool watchContent, bool loadContentEarly)
    {
        builder.Configuration.AddKeyPerFile(SecretsDirectory, optional: true);
        if (!watchContent)
        {
            builder.Configuration.AddInMemoryCollection([new($"{ContentOptions.Section}:{nameof(ContentOptions.Watch)}", "false")]);
        }

        builder.Services.AddSerilog((_, logger) => ConfigureLogging(logger, builder.Configuration, quiet));
        builder.Services.AddOptions<RegexTestLimits>().BindConfiguration(RegexTestLimits.Section);
        builder.Services.AddBotCore();
        builder.Services.AddContent(loadContentEarly ? builder.Configuration : null);
        builder.Services.AddStorage();
    }

    private static bool HasConfiguredAddress(ConfigurationManager configuration) =>
        new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    /// <summary>
    /// The assemblies whose sinks the <c>Serilog</c> section may name: the ones the bot ships. Named here so that
    /// Serilog does not look for them itself, which meant reading <c>bot.deps.json</c> and opening every DLL beside
    /// the bot (and loading System.Reflection.Metadata and Microsoft.Extensions.DependencyModel to do it): in a
    /// start-up trace, 30 of the 83 ms that configuring logging took on the main thread.
    /// </summary>
    private static readonly Serilog.Settings.Configuration.ConfigurationReaderOptions SerilogReaderOptions = new(
        typeof(BufferedConsoleSinkExtensions).Assembly,
        typeof(ConsoleLoggerConfigurationExtensions).Assembly,
        typeof(LoggerConfigurationAsyncExtensions).Assembly);

    private static void ConfigureLogging(LoggerConfiguration logger, IConfigurationManager configuration, bool quiet)
    {
        logger.ReadFrom.Configuration(configuration, SerilogReaderOptions).Enrich.FromLogContext()
            // A failed start is reported once, readably, by RunAsync (or Program.cs); not again with a stack trace.
            .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal);
        if (!configuration.GetSection("Serilog:WriteTo").Exists())
        {
            // Without appsettings.json still log, and to stderr, so stdout stays clean for --json.
            logger.WriteTo.BufferedConsole();
        }

        if (quiet)
        {
            logger.MinimumLevel.Warning();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Addresses}")]
    private static partial void LogListening(Microsoft.Extensions.Logging.ILogger logger, string addresses);
}
