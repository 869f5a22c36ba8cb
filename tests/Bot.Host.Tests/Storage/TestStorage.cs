using System.Data.Common;
using Bot.Core.Quiz;
using Bot.Host.Daily;
using Bot.Host.Storage;

namespace Bot.Host.Tests.Storage;

/// <summary>
/// A fresh database of one provider for one test, migrated to a version, and removed afterwards. Each Open call makes
/// new objects on the same database, as a second process would have.
/// </summary>
internal interface ITestStorage : IAsyncDisposable
{
    StorageProvider Provider { get; }

    IStorageDatabase OpenDatabase();

    IQuizStore OpenQuizStore();

    IDailyPostStore OpenDailyPostStore();

    IUnansweredLookupStore OpenLookupStore();

    /// <summary>One end of a copy on this database; the caller disposes of it.</summary>
    CopySide OpenCopySide();

    /// <summary>How a process finds this database: the bot's settings, and the store client's.</summary>
    IReadOnlyDictionary<string, string> BotEnvironment { get; }

    IReadOnlyDictionary<string, string> StoreClientEnvironment { get; }

    /// <summary>Marks the database as written by a bot of schema <paramref name="version"/>, without changing its tables.</summary>
    Task SetSchemaVersionAsync(int version);

    /// <summary>The tables and their columns (name and declared type, in order) as the database has them.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>>> SchemaAsync();
}

internal static class TestSchema
{
    /// <summary>Rows of (table, column, type), in order, gathered by table.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>>> ReadAsync(DbCommand command)
    {
        var tables = new Dictionary<string, IReadOnlyList<(string, string)>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!tables.TryGetValue(reader.GetString(0), out var columns))
            {
                tables[reader.GetString(0)] = columns = new List<(string, string)>();
            }

            ((List<(string, string)>)columns).Add((reader.GetString(1), reader.GetString(2)));
        }

        return tables;
    }
}
