using System.Globalization;
using Bot.Core;
using Bot.Core.Knowledge;
using Bot.Core.Regex;
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
    /// <summary>Slack refuses signed requests more than five minutes old; Discord's interactions are checked the same way here.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private const string ConfigurationCheck = "Configuration";
    private const string FixConfigurationFirst = "fix the configuration first.";

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var app = BotHost.CreateServerBuilder([], quiet: true).Build();
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
        foreach (var check in await CheckDiscordAsync(services, targets, cancellationToken))
        {
            Report(check);
        }

        foreach (var check in await CheckSlackAsync(services, targets, cancellationToken))
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
        InvalidOperationException { Message: var message } when message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [message],
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

        var store = services.GetRequiredService<SqliteStore>();
        int? version;
        try
        {
            version = await store.ProbeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Fail(name, $"the database {store.DatabasePath} cannot be written: {exception.Message}",
                "give the bot's user write access to the file and its folder, or point Storage__Path at a writable SQLite file.");
        }

        var latest = SqliteStore.LatestVersion.ToString(CultureInfo.InvariantCulture);
        return version switch
        {
            null => DoctorCheck.Pass(name, $"{store.DatabasePath} does not exist yet; its folder is writable, and the first start creates it."),
            { } newer when newer > SqliteStore.LatestVersion => DoctorCheck.Fail(name,
                $"{store.DatabasePath} has schema version {newer.ToString(CultureInfo.InvariantCulture)}, newer than this bot's {latest}; serve would refuse it.",
                "run the newer version of the bot, or point Storage__Path at another file."),
            { } older when older < SqliteStore.LatestVersion => DoctorCheck.Pass(name,
                $"{store.DatabasePath} is writable at schema version {older.ToString(CultureInfo.InvariantCulture)}; the next start upgrades it to {latest}."),
            _ => DoctorCheck.Pass(name, $"{store.DatabasePath} is writable at schema version {latest}, this bot's."),
        };
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckDiscordAsync(IServiceProvider services, IReadOnlyList<(Platform Platform, DoctorTarget Target)> targets, CancellationToken cancellationToken)
    {
        if (!DiscordServiceCollectionExtensions.IsConfigured(services.GetRequiredService<IConfiguration>()))
        {
            return [DoctorCheck.Skip("Discord", "not configured (no Discord__BotToken).")];
        }

        if (Value<DiscordOptions>(services) is not { } options)
        {
            return [DoctorCheck.Skip("Discord", FixConfigurationFirst)];
        }

        var checks = new List<DoctorCheck>(await services.GetRequiredService<DiscordDoctor>()
            .CheckAsync([.. targets.Where(pair => pair.Platform == Platform.Discord).Select(pair => pair.Target)], cancellationToken));
        checks.Add(await CheckClockAsync(services, "Discord", HttpMethod.Get, new Uri(options.ApiBaseUrl, "gateway"), Bot.Discord.Rest.DiscordRestClient.UserAgent, cancellationToken));
        return checks;
    }

    private static async Task<IReadOnlyList<DoctorCheck>> CheckSlackAsync(IServiceProvider services, IReadOnlyList<(Platform Platform, DoctorTarget Target)> targets, CancellationToken cancellationToken)
    {
        if (!SlackServiceCollectionExtensions.IsConfigured(services.GetRequiredService<IConfiguration>()))
        {
            return [DoctorCheck.Skip("Slack", "not configured (no Slack__BotToken).")];
        }

        if (Value<SlackOptions>(services) is not { } options)
        {
            return [DoctorCheck.Skip("Slack", FixConfigurationFirst)];
        }

        var checks = new List<DoctorCheck>(await services.GetRequiredService<SlackDoctor>()
            .CheckAsync([.. targets.Where(pair => pair.Platform == Platform.Slack).Select(pair => pair.Target)], cancellationToken));
        checks.Add(await CheckClockAsync(services, "Slack", HttpMethod.Post, new Uri(options.ApiBaseUrl, "api.test"), Bot.Slack.WebApi.SlackWebApiClient.UserAgent, cancellationToken));
        return checks;
    }

    // Any answer carries the platform's Date; no token is sent, so this works even when the credentials do not.
    private static async Task<DoctorCheck> CheckClockAsync(
        IServiceProvider services, string platform, HttpMethod method, Uri address, string userAgent, CancellationToken cancellationToken)
    {
        var name = $"{platform} clock";
        using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient();
        http.Timeout = TimeSpan.FromSeconds(10);
        var time = services.GetRequiredService<TimeProvider>();
        DateTimeOffset? platformNow;
        DateTimeOffset localNow;
        try
        {
            using var request = new HttpRequestMessage(method, address);
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
            using var response = await http.SendAsync(request, cancellationToken);
            localNow = time.GetUtcNow();
            platformNow = response.Headers.Date;
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return DoctorCheck.Fail(name, $"{platform}'s API did not answer: {exception.Message}", "check the network and any proxy between the bot and the platform.");
        }

        if (platformNow is not { } theirs)
        {
            return DoctorCheck.Skip(name, $"{platform}'s answer had no Date header to compare with.");
        }

        var skew = localNow - theirs;
        var size = skew.Duration();
        var said = $"{Math.Floor(size.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min {size.Seconds.ToString(CultureInfo.InvariantCulture)} s";
        return size > MaxClockSkew
            ? DoctorCheck.Fail(name, $"this machine's clock is {said} {(skew > TimeSpan.Zero ? "ahead of" : "behind")} {platform}'s; signed requests more than 5 minutes off are refused.",
                "synchronize the clock with NTP (timedatectl set-ntp true, or chrony/ntpd on the host; a container uses the host's clock).")
            : DoctorCheck.Pass(name, $"within {Math.Ceiling(size.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s of {platform}'s (the Date header counts whole seconds).");
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
        catch (Exception exception) when (exception is OptionsValidationException || exception is InvalidOperationException { Message: var message }
            && message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
