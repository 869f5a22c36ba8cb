using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Explain;
using Bot.Host.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Spectre.Console;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot search-report [--days N] [--limit N] [--json]</c>: the <c>/explain</c> queries that most often
/// ended unsure or found nothing, read from the configured database without starting the bot.
/// </summary>
internal static class SearchReport
{
    public const int DefaultDays = 30;
    public const int DefaultLimit = 20;

    private const string Hint = "For each query: add an alias to the concept's front matter, or write a concept; then run 'bot content check'.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<int> RunAsync(int days, int limit, bool json, CancellationToken cancellationToken)
    {
        if (days < 1 || limit < 1)
        {
            await Console.Error.WriteLineAsync("search-report needs --days and --limit of at least 1. Try: bot search-report --days 7 --limit 10");
            return ExitCodes.Usage;
        }

        var configuration = BotHost.ReadConfiguration();
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        options.PostgresConnectionString = configuration[StorageOptions.PostgresConnectionStringKey];
        if (new StorageOptionsValidator().Validate(null, options) is { Failed: true } invalid)
        {
            foreach (var failure in invalid.Failures)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            }

            return ExitCodes.InvalidConfiguration;
        }

        UnansweredReport report;
        if (options.Kind == StorageProvider.Postgres)
        {
            await using var database = new PostgresDatabase(options.PostgresConnectionString!);
            var store = new PostgresUnansweredLookupStore(database);
            try
            {
                if (!await store.HasTableAsync(cancellationToken))
                {
                    await Console.Error.WriteLineAsync(
                        $"Storage error: {store.Description} has no lookups table: start this bot on it once to create or upgrade its schema.");
                    return ExitCodes.StorageUnavailable;
                }

                report = await store.ReportAsync(TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(days), limit, cancellationToken);
            }
            catch (NpgsqlException exception)
            {
                await Console.Error.WriteLineAsync(
                    $"Storage error: cannot read {store.Description}: {exception.Message}; check {StorageOptions.PostgresConnectionStringKey}.");
                return ExitCodes.StorageUnavailable;
            }
        }
        else
        {
            var store = new SqliteUnansweredLookupStore(options.Path);
            if (!File.Exists(store.DatabasePath))
            {
                await Console.Error.WriteLineAsync(
                    $"Storage error: there is no database at {store.DatabasePath}. Set Storage:Path (environment: Storage__Path) to the file the bot uses; this report does not create one.");
                return ExitCodes.StorageUnavailable;
            }

            try
            {
                if (!await store.HasTableAsync(cancellationToken))
                {
                    await Console.Error.WriteLineAsync(
                        $"Storage error: the database {store.DatabasePath} was last opened by a bot that did not record lookups; start this bot once to upgrade it.");
                    return ExitCodes.StorageUnavailable;
                }

                report = await store.ReportAsync(TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(days), limit, cancellationToken);
            }
            catch (SqliteException exception)
            {
                await Console.Error.WriteLineAsync($"Storage error: cannot read the database {store.DatabasePath}: {exception.Message}");
                return ExitCodes.StorageUnavailable;
            }
            finally
            {
                SqliteConnection.ClearAllPools();
            }
        }

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(ToJson(report, days), Json));
        }
        else
        {
            Print(AnsiConsole.Console, report, days);
        }

        return ExitCodes.Success;
    }

    private static void Print(IAnsiConsole console, UnansweredReport report, int days)
    {
        var window = days == 1 ? "the last day" : $"the last {days} days";
        if (report.Rows.Count == 0)
        {
            console.WriteLine($"No unanswered lookups in {window}.");
            return;
        }

        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"/explain lookups that missed in {window}: {report.Lookups} in all, {report.Queries} distinct")
            .AddColumn(new TableColumn("Count").RightAligned().NoWrap())
            .AddColumn("Query")
            .AddColumn(new TableColumn("Outcome").NoWrap())
            .AddColumn(new TableColumn("Last seen").NoWrap())
            // Concept ids are what the instructor looks up, so they are not broken; the query wraps instead.
            .AddColumn(new TableColumn("Suggested last").NoWrap());
        foreach (var row in report.Rows)
        {
            table.AddRow(
                row.Count.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(row.Query),
                row.Outcome == UnansweredOutcome.Unsure ? "unsure" : "[yellow]not found[/]",
                row.LastSeen.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                row.Candidates.Count == 0 ? "-" : Markup.Escape(string.Join('\n', row.Candidates)));
        }

        console.Write(table);
        if (report.Queries > report.Rows.Count)
        {
            console.WriteLine($"Showing the {report.Rows.Count} most frequent of {report.Queries} queries; --limit shows more.");
        }

        console.WriteLine(Hint);
    }

    private static SearchReportJson ToJson(UnansweredReport report, int days) => new(
        days,
        report.Since,
        report.Lookups,
        report.Queries,
        [.. report.Rows.Select(row => new SearchReportRowJson(row.Query, row.Count, row.LastSeen, row.Outcome, row.Candidates))]);

    private sealed record SearchReportJson(int Days, DateTimeOffset Since, int Lookups, int DistinctQueries, IReadOnlyList<SearchReportRowJson> Queries);

    private sealed record SearchReportRowJson(string Query, int Count, DateTimeOffset LastSeen, UnansweredOutcome Outcome, IReadOnlyList<string> Candidates);
}
