using System.Text.Json;

namespace Bot.Host.Tests;

/// <summary><c>bot explain</c> misses, then <c>bot search-report</c>, as separate processes sharing one database.</summary>
public sealed class SearchReportEndToEndTests : IDisposable
{
    // Gibberish: no search, however it ranks, has a concept for it.
    private const string Nonsense = "qwzxv blorf";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bot-search-report-");

    private string DatabasePath => Path.Combine(_folder.FullName, "bot.db");

    private Dictionary<string, string> Storage => new() { ["Storage__Path"] = DatabasePath };

    [Fact]
    public async Task SearchReport_AfterMissedExplains_ListsThemCountedMostFrequentFirst()
    {
        var first = await BotProcess.RunAsync(["explain", "qwzxv", "blorf"], environment: Storage);
        var second = await BotProcess.RunAsync(["explain", "QWZXV", "Blorf", "--json"], environment: Storage);
        var broad = await BotProcess.RunAsync(["explain", "generators iterators", "--json"], environment: Storage);

        Assert.True(first.ExitCode == 4, first.Stderr);
        Assert.Equal(0, JsonDocument.Parse(second.Stdout).RootElement.GetProperty("suggestions").GetArrayLength());
        var json = await BotProcess.RunAsync(["search-report", "--json"], environment: Storage);
        var text = await BotProcess.RunAsync(["search-report"], environment: Storage);

        Assert.True(json.ExitCode == 0, json.Stderr);
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(30, report.GetProperty("days").GetInt32());
        var queries = report.GetProperty("queries").EnumerateArray().ToList();
        var nonsense = queries[0];
        Assert.Equal(Nonsense, nonsense.GetProperty("query").GetString(), ignoreCase: true);
        Assert.Equal(2, nonsense.GetProperty("count").GetInt32());
        Assert.Equal("notFound", nonsense.GetProperty("outcome").GetString());
        Assert.Equal(0, nonsense.GetProperty("candidates").GetArrayLength());
        AssertRecordedAsExplainAnswered(JsonDocument.Parse(broad.Stdout).RootElement, queries);
        Assert.Equal(queries.Sum(query => query.GetProperty("count").GetInt32()), report.GetProperty("lookups").GetInt32());

        Assert.True(text.ExitCode == 0, text.Stderr);
        // The table may wrap a query in a narrow terminal; its first word stays whole.
        Assert.Contains("QWZXV", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("not found", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("add an alias to the concept's front matter", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchReport_OnlyAnsweredLookups_SaysThereIsNothing()
    {
        var explained = await BotProcess.RunAsync(["explain", "closures"], environment: Storage);
        Assert.True(explained.ExitCode == 0, explained.Stderr);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["search-report", "--days", "7"], environment: Storage);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("No unanswered lookups in the last 7 days.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchReport_NoDatabase_ReportsThePathAndCreatesNothing()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["search-report", "--json"], environment: Storage);

        Assert.Equal(5, exitCode);
        Assert.Empty(stdout);
        Assert.Contains(DatabasePath, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(DatabasePath));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }

    /// <summary>
    /// A broad query is recorded exactly as <c>explain</c> answered it: Unsure with its suggestions,
    /// NotFound, or not at all if the search became sure of a concept.
    /// </summary>
    private static void AssertRecordedAsExplainAnswered(JsonElement explained, List<JsonElement> queries)
    {
        var recorded = queries.Where(query => query.GetProperty("query").GetString() == "generators iterators").ToList();
        if (!explained.TryGetProperty("suggestions", out var suggestions))
        {
            Assert.Empty(recorded);
            return;
        }

        var row = Assert.Single(recorded);
        Assert.Equal(1, row.GetProperty("count").GetInt32());
        Assert.Equal(suggestions.GetArrayLength() == 0 ? "notFound" : "unsure", row.GetProperty("outcome").GetString());
        Assert.Equal(
            suggestions.EnumerateArray().Select(suggestion => suggestion.GetProperty("conceptId").GetString()),
            row.GetProperty("candidates").EnumerateArray().Select(candidate => candidate.GetString()));
    }
}
