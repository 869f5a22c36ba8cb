using System.Globalization;
using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.RegexTest;
using Bot.Discord;
using Bot.Discord.Doctor;
using Bot.Host.Content;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Bot.Host.Telemetry;
using Bot.Slack;
using Bot.Slack.Doctor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot doctor</c>: checks what <c>serve</c> would meet (configuration, content, storage, each configured platform's
/// credentials, daily-quiz channels and clock) without starting it, prints each finding with how to fix it, and exits 0
/// only when nothing failed.
/// </summary>
internal static class Doctor
{
    private const string ConfigurationCheck = "Configuration";
    private const string FixConfigurationFirst = "fix the configuration first.";

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var app = Program.CreateServerBuilder([], quiet: true).Build();
        var services = app.Services;
        var counts = new Dictionary<DoctorVerdict, int>();
        void Report(DoctorCheck check)
        {
            counts[check.Verdict] = counts.GetValueOrDefault(check.Verdict) + 1;
            Print(check);
        }

        var configurationFailures = ConfigurationFailures(services);
        foreach (var failure in configurationFailures)
        {
            Report(DoctorCheck.Fail(ConfigurationCheck, failure, null));
        }

        if (configurationFailures.Count == 0)
        {
            Report(DoctorCheck.Pass(ConfigurationCheck, DescribeConfiguration(services)));
        }

        Report(await CheckContentAsync(services));
        Report(await CheckStorageAsync(services, cancellationToken));
        var targets = DailyTargets(services);
        var configuration = services.GetRequiredService<IConfiguration>();
        foreach (var check in await CheckPlatformAsync<DiscordOptions, DiscordDoctor>(
            services, Platform.Discord, DiscordServiceCollectionExtensions.IsConfigured(configuration), targets, cancellationToken))
        {
            Report(check);
        }

        foreach (var check in await CheckPlatformAsync<SlackOptions, SlackDoctor>(
            services, Platform.Slack, SlackServiceCollectionExtensions.IsConfigured(configuration), targets, cancellationToken))
        {
            Report(check);
        }

        var failed = counts.GetValueOrDefault(DoctorVerdict.Failed);
        Console.Out.WriteLine();
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{counts.GetValueOrDefault(DoctorVerdict.Passed)} passed, {failed} failed, {counts.GetValueOrDefault(DoctorVerdict.Skipped)} skipped."));
        return failed == 0 ? ExitCodes.Success : ExitCodes.DoctorFoundProblems;
    }

    private static void Print(DoctorCheck check)
    {
        var mark = check.Verdict switch
        {
            DoctorVerdict.Passed => "[ok]  ",
            DoctorVerdict.Failed => "[FAIL]",
            _ => "[skip]",
        };
        Console.Out.WriteLine($"{mark} {check.Name}: {check.Detail}");
        if (check.Fix is not null)
        {
            Console.Out.WriteLine($"       fix: {check.Fix}");
        }
    }

    // Everything the start would refuse: secrets in settings files, then each validated section on its own (the host's
    // start stops at the first section that fails; an operator wants them all), then anything else validated at start.
    private static List<string> ConfigurationFailures(IServiceProvider services)
    {
        var failures = new List<string>(SettingsFileSecrets.Find(services.GetRequiredService<IConfiguration>()));
        Action[] validations =
        [
            () => _ = services.GetRequiredService<IOptions<DiscordOptions>>().Value,
            () => _ = services.GetRequiredService<IOptions<SlackOptions>>().Value,
            () => _ = services.GetRequiredService<IOptions<ContentOptions>>().Value,
            () => _ = services.GetRequiredService<IOptions<StorageOptions>>().Value,
            () => _ = services.GetRequiredService<IOptions<MetricsOptions>>().Value,
            () => _ = services.GetRequiredService<IOptions<RegexTestLimits>>().Value,
            () => _ = services.GetRequiredService<IOptions<DailyQuizOptions>>().Value,
            () => services.GetService<IStartupValidator>()?.Validate(),
        ];
        foreach (var validate in validations)
        {
            try
            {
                validate();
            }
            catch (Exception exception)
            {
                failures.AddRange(ConfigurationErrors(exception));
            }
        }

        return [.. failures.Distinct(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> ConfigurationErrors(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(ConfigurationErrors),
        OptionsValidationException invalid => invalid.Failures,
        _ when BotHost.IsUnconvertibleValue(exception) => [exception.Message],
        _ => throw exception,
    };

    private static string DescribeConfiguration(IServiceProvider services)
    {
        var parts = new List<string>();
        if (services.GetRequiredService<IOptions<DiscordOptions>>().Value is { Enabled: true } discord)
        {
            parts.Add($"Discord over {(discord.Transport == DiscordTransport.Http ? "HTTP interactions" : "the gateway")}");
        }

        if (services.GetRequiredService<IOptions<SlackOptions>>().Value is { Enabled: true } slack)
        {
            parts.Add($"Slack over {(slack.SocketMode && slack.Http ? "Socket Mode and HTTP" : slack.SocketMode ? "Socket Mode" : "HTTP")}");
        }

        if (parts.Count == 0)
        {
            parts.Add("no chat platform (serve runs the terminal daily quiz and health endpoints only)");
        }

        var targets = services.GetRequiredService<IOptions<DailyQuizOptions>>().Value.Targets.Count;
        return $"valid: {string.Join(", ", parts)}; {targets.ToString(CultureInfo.InvariantCulture)} daily-quiz target(s).";
    }

    private static async Task<DoctorCheck> CheckContentAsync(IServiceProvider services)
    {
        const string name = "Content";
        if (Value<ContentOptions>(services) is not { } options)
        {
            return DoctorCheck.Skip(name, FixConfigurationFirst);
        }

        var early = services.GetService<EarlyContentLoad>();
        var result = early is not null && early.IsOf(options.Path) ? (await early.Loading).Result : KnowledgeBaseLoader.LoadDirectory(options.Path);
        if (result.IsValid)
        {
            return DoctorCheck.Pass(name, $"{result.Concepts.Count} concepts and {result.Concepts.Sum(concept => concept.QuestionCount)} questions in {options.Path}.");
        }

        const int shown = 5;
        var errors = string.Join("; ", result.Errors.Take(shown).Select(error => error.ToString()));
        var more = result.Errors.Count > shown ? $"; and {(result.Errors.Count - shown).ToString(CultureInfo.InvariantCulture)} more" : "";
        return DoctorCheck.Fail(name, $"{result.Errors.Count.ToString(CultureInfo.InvariantCulture)} error(s) in {options.Path}: {errors}{more}.",
            $"run 'bot content check {options.Path}' for every error as path:line, fix them, or point Content__Path at the course folder.");
    }

    private static async Task<DoctorCheck> CheckStorageAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        const string name = "Storage";
        if (Value<StorageOptions>(services) is null)
        {
            return DoctorCheck.Skip(name, FixConfigurationFirst);
        }

        return services.GetRequiredService<IStorageDatabase>() switch
        {
            PostgresDatabase postgres => await CheckPostgresAsync(name, postgres, cancellationToken),
            var database => await CheckSqliteAsync(name, (SqliteDatabase)database, cancellationToken),
        };
    }

    private static async Task<DoctorCheck> CheckSqliteAsync(string name, SqliteDatabase database, CancellationToken cancellationToken)
    {
        int? version;
        try
        {
            version = await database.ProbeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Fail(name, $"the database {database.DatabasePath} cannot be written: {exception.Message}",
                "give the bot's user write access to the file and its folder, or point Storage__Path at a writable SQLite file.");
        }

        return version is { } found
            ? SchemaCheck(name, database.DatabasePath, found, "Storage__Path at another file")
            : DoctorCheck.Pass(name, $"{database.DatabasePath} does not exist yet; its folder is writable, and the first start creates it.");
    }

    private static async Task<DoctorCheck> CheckPostgresAsync(string name, PostgresDatabase database, CancellationToken cancellationToken)
    {
        const string variable = "ConnectionStrings__Postgres";
        int version;
        try
        {
            version = await database.ProbeAsync(cancellationToken);
        }
        catch (Npgsql.NpgsqlException exception)
        {
            return DoctorCheck.Fail(name, $"{database.Description} cannot be opened and written: {exception.Message}",
                $"check {variable} (host, port, database, user, password), that the server accepts connections from here, and that the user may create tables in the database.");
        }

        var description = char.ToUpperInvariant(database.Description[0]) + database.Description[1..];
        return version == 0
            ? DoctorCheck.Pass(name, $"{description} is writable and has no tables of the bot yet; the first start creates them.")
            : SchemaCheck(name, description, version, $"{variable} at another database");
    }

    /// <summary>A writable database's schema version beside this bot's, told the same way for both providers.</summary>
    private static DoctorCheck SchemaCheck(string name, string description, int version, string elsewhere)
    {
        var latest = IStorageDatabase.LatestVersion;
        var found = version.ToString(CultureInfo.InvariantCulture);
        var ours = latest.ToString(CultureInfo.InvariantCulture);
        return version > latest
            ? DoctorCheck.Fail(name, $"{description} has schema version {found}, newer than this bot's {ours}; serve would refuse it.",
                $"run the newer version of the bot, or point {elsewhere}.")
            : version < latest
                ? DoctorCheck.Pass(name, $"{description} is writable at schema version {found}; the next start upgrades it to {ours}.")
                : DoctorCheck.Pass(name, $"{description} is writable at schema version {ours}, this bot's.");
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckPlatformAsync<TOptions, TDoctor>(
        IServiceProvider services, Platform platform, bool configured, IReadOnlyList<(Platform Platform, DoctorTarget Target)> targets, CancellationToken cancellationToken)
        where TOptions : class
        where TDoctor : IPlatformDoctor
    {
        var name = platform.ToString();
        if (!configured)
        {
            return [DoctorCheck.Skip(name, $"not configured (no {name}__BotToken).")];
        }

        return Value<TOptions>(services) is null
            ? [DoctorCheck.Skip(name, FixConfigurationFirst)]
            : await services.GetRequiredService<TDoctor>().CheckAsync([.. targets.Where(pair => pair.Platform == platform).Select(pair => pair.Target)], cancellationToken);
    }

    // Read without validation, so that one bad schedule does not hide which channels to check.
    private static IReadOnlyList<(Platform Platform, DoctorTarget Target)> DailyTargets(IServiceProvider services)
    {
        DailyQuizOptions options;
        try
        {
            options = services.GetRequiredService<IConfiguration>().GetSection(DailyQuizOptions.Section).Get<DailyQuizOptions>() ?? new DailyQuizOptions();
        }
        catch (InvalidOperationException)
        {
            return [];
        }

        return [.. options.Targets.Select((target, index) => (target.Platform,
            new DoctorTarget($"{DailyQuizOptions.Section}__Targets__{index.ToString(CultureInfo.InvariantCulture)}", target.Workspace, target.Channel)))
            .Where(pair => !string.IsNullOrWhiteSpace(pair.Item2.Channel))];
    }

    private static T? Value<T>(IServiceProvider services)
        where T : class
    {
        try
        {
            return services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (Exception exception) when (exception is OptionsValidationException || BotHost.IsUnconvertibleValue(exception))
        {
            return null;
        }
    }
}
