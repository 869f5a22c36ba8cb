using System.Globalization;
using Bot.Host.Storage;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot storage copy --from sqlite:PATH --to postgres:CONNECTION-STRING [--overwrite]</c>: moves a community's
/// scores, schedules and history from one database to another (either way, or SQLite to SQLite), and prints each
/// table's count in both, which must agree for the copy to be kept.
/// </summary>
internal static class StorageCopy
{
    public const string Usage = "Write each as sqlite:PATH or postgres:CONNECTION-STRING (postgres: alone takes ConnectionStrings:Postgres from the environment or /run/secrets), e.g. bot storage copy --from sqlite:data/bot.db --to postgres:";

    public static async Task<int> RunAsync(string from, string to, bool overwrite, CancellationToken cancellationToken)
    {
        await using var source = Open("--from", from, out var sourceError);
        await using var target = Open("--to", to, out var targetError);
        if ((sourceError ?? targetError) is { } error)
        {
            await Console.Error.WriteLineAsync(error);
            return ExitCodes.Usage;
        }

        if (source!.Database.Description == target!.Database.Description)
        {
            await Console.Error.WriteLineAsync($"--from and --to are both {source.Database.Description}: copy to another database.");
            return ExitCodes.Usage;
        }

        if (source.Database is SqliteDatabase { DatabasePath: var path } && !File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"Storage error: there is no database at {path}: check the path after --from sqlite:.");
            return ExitCodes.StorageUnavailable;
        }

        try
        {
            await source.Database.EnsureSchemaAsync(cancellationToken);
            await target.Database.EnsureSchemaAsync(cancellationToken);
        }
        catch (StorageUnavailableException unavailable)
        {
            await Console.Error.WriteLineAsync($"Storage error: {unavailable.Message}");
            return ExitCodes.StorageUnavailable;
        }

        Console.Out.WriteLine($"Copying from {source.Database.Description} to {target.Database.Description}.");
        IReadOnlyList<TableCount> counts;
        try
        {
            counts = await StorageCopier.CopyAsync(source, target, overwrite, cancellationToken);
        }
        catch (TargetNotEmptyException notEmpty)
        {
            var held = string.Join(", ", notEmpty.Counts.Select(count => $"{count.Table} {count.Target.ToString(CultureInfo.InvariantCulture)}"));
            await Console.Error.WriteLineAsync(
                $"{target.Database.Description} already holds data ({held}); copying into it would mix two communities' records. Copy to an empty database, or add --overwrite to delete what it holds first.");
            return ExitCodes.TargetNotEmpty;
        }
        catch (CopyMismatchException mismatch)
        {
            Print(mismatch.Counts);
            await Console.Error.WriteLineAsync($"The counts above differ, so nothing was kept in {target.Database.Description}; please report this, with the table that differs.");
            return ExitCodes.Failure;
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or IOException)
        {
            await Console.Error.WriteLineAsync($"Storage error: the copy failed, and nothing was kept in {target.Database.Description}: {exception.Message}");
            return ExitCodes.StorageUnavailable;
        }

        Print(counts);
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Copied {counts.Sum(count => count.Target)} rows in {counts.Count} tables; every table's count matches."));
        return ExitCodes.Success;
    }

    private static void Print(IReadOnlyList<TableCount> counts)
    {
        var width = Math.Max("table".Length, counts.Max(count => count.Table.Length));
        Console.Out.WriteLine($"{"table".PadRight(width)}  {"source",10}  {"target",10}");
        foreach (var count in counts)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count.Table.PadRight(width)}  {count.Source,10}  {count.Target,10}"));
        }
    }

    /// <summary>The side <paramref name="text"/> names, or null and why not (never quoting a connection string, which may hold a password).</summary>
    private static CopySide? Open(string option, string text, out string? error)
    {
        error = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? text : text[..colon];
        var rest = colon < 0 ? "" : text[(colon + 1)..];
        switch (scheme.ToUpperInvariant())
        {
            case "SQLITE" when !string.IsNullOrWhiteSpace(rest):
                return new SqliteCopySide(new SqliteDatabase(rest));
            case "SQLITE":
                error = $"{option} sqlite: needs the path of the file, e.g. sqlite:data/bot.db.";
                return null;
            case "POSTGRES":
                var connectionString = string.IsNullOrWhiteSpace(rest) ? BotHost.ReadConfiguration()[StorageOptions.PostgresConnectionStringKey] : rest;
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    error = $"{option} postgres: with nothing after it takes {StorageOptions.PostgresConnectionStringKey}, which is not set: set the environment variable ConnectionStrings__Postgres (or the file {BotHost.SecretsDirectory}/ConnectionStrings__Postgres), or write the connection string after postgres:.";
                    return null;
                }

                try
                {
                    return new PostgresCopySide(new PostgresDatabase(connectionString));
                }
                catch (ArgumentException invalid)
                {
                    error = $"{option} postgres:...: {invalid.Message}.";
                    return null;
                }

            default:
                error = $"{option} must name a database as sqlite:PATH or postgres:CONNECTION-STRING, not '{(scheme.Length > 20 ? scheme[..20] + "..." : scheme)}:'. {Usage}";
                return null;
        }
    }
}
