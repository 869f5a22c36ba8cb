using Microsoft.Data.Sqlite;

namespace Bot.Host.Tests;

/// <summary><c>bot doctor</c> as an operator runs it before a first start: everything it can know without a platform.</summary>
public sealed class DoctorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bot-tests", "doctor-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Doctor_NothingConfigured_PassesConfigurationContentAndANewDatabaseAndExitsZero()
    {
        var database = Path.Combine(_folder, "data", "bot.db");

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: new Dictionary<string, string> { ["Storage__Path"] = database });

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("[ok]   Configuration: valid: no chat platform", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\[ok\]   Content: \d+ concepts and \d+ questions in content\.", stdout);
        Assert.Contains($"[ok]   Storage: {database} does not exist yet; its folder is writable, and the first start creates it.", stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Discord: not configured (no Discord__BotToken).", stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Slack: not configured (no Slack__BotToken).", stdout, StringComparison.Ordinal);
        Assert.EndsWith("3 passed, 0 failed, 2 skipped.\n", stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(database)), "doctor created the database folder");
    }

    [Fact]
    public async Task Doctor_DatabaseInUse_IsWritableAtThisSchemaAndUnchanged()
    {
        var database = Path.Combine(_folder, "bot.db");
        var environment = new Dictionary<string, string> { ["Storage__Path"] = database };
        var (explained, _, explainErrors) = await BotProcess.RunAsync(["explain", "closures"], environment: environment);
        Assert.True(explained == 0, explainErrors);
        var tablesBefore = Tables(database);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: environment);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Matches($@"\[ok\]   Storage: {System.Text.RegularExpressions.Regex.Escape(database)} is writable at schema version \d+, this bot's\.", stdout);
        Assert.Equal(tablesBefore, Tables(database));
    }

    /// <summary>Configuration, content and storage problems are all reported in one run, each with its key or its fix.</summary>
    [Fact]
    public async Task Doctor_ProblemsEverywhere_ReportsEveryOneAndExitsOne()
    {
        var database = Path.Combine(_folder, "newer.db");
        Directory.CreateDirectory(_folder);
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999;";
            command.ExecuteNonQuery();
        }

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: new Dictionary<string, string>
        {
            ["Storage__Path"] = database,
            ["Content__Path"] = Path.Combine(_folder, "no-such-course"),
            ["Metrics__Urls"] = "9464",
            ["Slack__BotToken"] = "xoxb-only",
            ["DailyQuiz__Cron"] = "every morning",
        });

        Assert.True(exitCode == 1, stdout + stderr);
        Assert.Contains("[FAIL] Configuration: Slack needs a way to receive commands: set Slack__AppToken", stdout, StringComparison.Ordinal);
        Assert.Contains("[FAIL] Configuration: Metrics:Urls has '9464'", stdout, StringComparison.Ordinal);
        Assert.Contains("[FAIL] Configuration: DailyQuiz:Cron", stdout, StringComparison.Ordinal);
        Assert.Contains("[FAIL] Content: ", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: run 'bot content check", stdout, StringComparison.Ordinal);
        Assert.Contains($"[FAIL] Storage: {database} has schema version 999, newer than this bot's", stdout, StringComparison.Ordinal);
        Assert.Contains("[skip] Slack: fix the configuration first.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-only", stdout + stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static List<string> Tables(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
