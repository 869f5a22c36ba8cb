using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Quiz;
using Bot.Host.Daily;
using Bot.Host.Storage;
using Bot.Host.Tests.Quiz;

namespace Bot.Host.Tests.Storage;

/// <summary>The real bot process on PostgreSQL: chat, start-up refusals, doctor, replicas sharing a daily quiz, and <c>bot storage copy</c>.</summary>
[Collection(PostgresServer.Collection)]
public sealed class PostgresEndToEndTests(PostgresServer server)
{
    private static readonly DateTimeOffset Now = StorageContractTests.Now;

    /// <summary>How the terminal publisher heads a daily post, and how it names the slot (by its reveal time).</summary>
    private const string PostMark = "── Daily quiz:";
    private const string RevealMark = "Why this one: The answer is revealed at ";

    [Fact]
    public async Task Chat_OnPostgres_AnswersInOneProcessShowInTheNext()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server, version: 0);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json", "--user", "alice"], "/quiz closures\n1\n", storage.BotEnvironment);
        Assert.True(exitCode == 0, stderr);
        Assert.True(Lines(stdout)[1].GetProperty("counted").GetBoolean());

        (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json", "--user", "alice"], "/stats\n", storage.BotEnvironment);
        Assert.True(exitCode == 0, stderr);
        Assert.Equal(1, Lines(stdout)[0].GetProperty("answered").GetInt32());
        Assert.Equal(IStorageDatabase.LatestVersion, await storage.OpenDatabase().SchemaVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SearchReport_OnPostgres_ListsTheLookupsThatMissed()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server, version: 0);
        var (explained, _, explainErrors) = await BotProcess.RunAsync(["explain", "qwzxv", "blorf"], environment: storage.BotEnvironment);
        Assert.True(explained == 4, explainErrors);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["search-report", "--json"], environment: storage.BotEnvironment);

        Assert.True(exitCode == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, report.GetProperty("lookups").GetInt32());
        Assert.Equal("qwzxv blorf", report.GetProperty("queries")[0].GetProperty("query").GetString());
    }

    [Fact]
    public async Task Start_PostgresOfANewerBot_ExitsFiveWithAClearMessage()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server);
        await storage.SetSchemaVersionAsync(99);

        var (exitCode, _, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/stats\n", storage.BotEnvironment);

        Assert.Equal(5, exitCode);
        Assert.Contains($"has schema version 99, newer than this bot's {IStorageDatabase.LatestVersion}; run the newer bot, or point ConnectionStrings:Postgres at another database", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresThatDoesNotAnswer_ExitsFiveNamingTheKeyButNotThePassword()
    {
        var connectionString = $"Host=127.0.0.1;Port={ClosedPort()};Database=bot;Username=bot;Password={server.Password};Timeout=2";

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/stats\n", new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["ConnectionStrings__Postgres"] = connectionString,
        });

        Assert.Equal(5, exitCode);
        Assert.Contains("Storage error: cannot open the PostgreSQL database bot on 127.0.0.1:", stderr, StringComparison.Ordinal);
        Assert.Contains("check ConnectionStrings:Postgres (host, port, database, user, password)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_OnPostgres_ReportsAnEmptyDatabaseThenItsSchemaVersion()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server, version: 0);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(storage.ConnectionString).Database;
        var description = $"The PostgreSQL database {database} on 127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}";

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: storage.BotEnvironment);
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"[ok]   Storage: {description} is writable and has no tables of the bot yet; the first start creates them.", stdout, StringComparison.Ordinal);
        Assert.Empty((await storage.SchemaAsync()).Keys);

        await storage.OpenDatabase().MigrateAsync(CancellationToken.None);
        (exitCode, stdout, stderr) = await BotProcess.RunAsync(["doctor"], environment: storage.BotEnvironment);
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"[ok]   Storage: {description} is writable at schema version {IStorageDatabase.LatestVersion}, this bot's.", stdout, StringComparison.Ordinal);

        await storage.SetSchemaVersionAsync(99);
        (exitCode, stdout, _) = await BotProcess.RunAsync(["doctor"], environment: storage.BotEnvironment);
        Assert.Equal(1, exitCode);
        Assert.Contains($"[FAIL] Storage: {description} has schema version 99, newer than this bot's", stdout, StringComparison.Ordinal);
        Assert.Contains("fix: run the newer version of the bot, or point ConnectionStrings__Postgres at another database.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// Three replicas of serve on one database, each starting with the current minute's slot due (and a new slot every
    /// minute after): every slot is posted by one replica only.
    /// </summary>
    [Fact]
    public async Task Serve_ThreeReplicasOnOneDatabase_PostEachDailySlotOnce()
    {
        await using var storage = await TempPostgresDatabase.CreateAsync(server);
        var environment = new Dictionary<string, string>(storage.BotEnvironment)
        {
            ["DailyQuiz__Cron"] = "* * * * *",
            ["DailyQuiz__CatchUpGrace"] = "00:02:00",
            ["DailyQuiz__Targets__0__Channel"] = "daily",
        };
        var replicas = Enumerable.Range(0, 3).Select(_ => BotProcess.Start(["serve", "--urls", "http://127.0.0.1:0"], environment)).ToList();
        var outputs = replicas.Select(_ => new List<string>()).ToList();
        try
        {
            var reading = replicas.SelectMany((replica, index) => new[] { ReadLinesAsync(replica.StandardOutput, outputs[index]), ReadLinesAsync(replica.StandardError, outputs[index]) }).ToList();
            for (var waited = 0; !outputs.All(lines => Contains(lines, "Listening on")) || !outputs.Any(lines => Contains(lines, PostMark)); waited += 100)
            {
                Assert.True(waited < 60_000, "the replicas did not all start, or none posted:\n" + string.Join("\n---\n", outputs.Select(Snapshot)));
                await Task.Delay(100);
            }

            // Each replica has had its go at the slot that was due when it started.
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var replica in replicas)
            {
                Assert.Equal(0, PosixSignals.Terminate(replica.Id));
            }

            foreach (var replica in replicas)
            {
                await replica.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(0, replica.ExitCode);
            }

            await Task.WhenAll(reading);
            // A post names its slot by its reveal time, one minute apart.
            var posted = outputs.SelectMany(lines => lines.Where(line => line.StartsWith(RevealMark, StringComparison.Ordinal))).ToList();
            Assert.Equal(outputs.Sum(lines => lines.Count(line => line.Contains(PostMark, StringComparison.Ordinal))), posted.Count);
            Assert.Equal(posted.Distinct().Count(), posted.Count);
            var slots = await storage.OpenDailyPostStore().PostsAsync("terminal:local:daily", CancellationToken.None);
            Assert.Equal(posted.Count, slots.Count(slot => slot.State == DailyPostState.Posted));
            Assert.NotEmpty(posted);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                if (!replica.HasExited)
                {
                    replica.Kill(entireProcessTree: true);
                }

                replica.Dispose();
            }
        }
    }

    [Fact]
    public async Task StorageCopy_SqliteToPostgresAndBack_KeepsEveryRowAndIdAndRefusesANonEmptyTarget()
    {
        await using var sqlite = await TempDatabase.CreateAsync();
        await using var postgres = await TempPostgresDatabase.CreateAsync(server, version: 0);
        var lastId = await FillAsync(sqlite);
        var toPostgres = new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = postgres.ConnectionString };

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["storage", "copy", "--from", $"sqlite:{sqlite.Path}", "--to", "postgres:"], environment: toPostgres);

        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains($"Copying from {sqlite.Path} to the PostgreSQL database ", stdout, StringComparison.Ordinal);
        foreach (var (table, rows) in await CountsAsync(sqlite))
        {
            Assert.Matches($@"(?m)^{table} +{rows} +{rows}$", stdout);
        }

        Assert.Contains("every table's count matches.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, stdout + stderr, StringComparison.Ordinal);
        Assert.Equal(await DumpAsync(sqlite), await DumpAsync(postgres));
        var next = await postgres.OpenQuizStore().CreateInstanceAsync(StorageContractTests.Practice(), CancellationToken.None);
        Assert.Equal(lastId + 1, next.Id);

        (exitCode, stdout, stderr) = await BotProcess.RunAsync(["storage", "copy", "--from", $"sqlite:{sqlite.Path}", "--to", "postgres:"], environment: toPostgres);
        Assert.Equal(6, exitCode);
        Assert.Contains($"already holds data (quiz_instances {lastId + 1}, learners 2,", stderr, StringComparison.Ordinal);
        Assert.Contains("add --overwrite to delete what it holds first", stderr, StringComparison.Ordinal);

        (exitCode, stdout, stderr) = await BotProcess.RunAsync(["storage", "copy", "--from", $"sqlite:{sqlite.Path}", "--to", "postgres:", "--overwrite"], environment: toPostgres);
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Equal(await DumpAsync(sqlite), await DumpAsync(postgres));

        // And back, into a file that does not exist yet, with the connection string on the command line.
        var back = Path.Combine(Path.GetDirectoryName(sqlite.Path)!, "back", "bot.db");
        (exitCode, stdout, stderr) = await BotProcess.RunAsync(["storage", "copy", "--from", $"postgres:{postgres.ConnectionString}", "--to", $"sqlite:{back}"]);
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.DoesNotContain(server.Password, stdout + stderr, StringComparison.Ordinal);
        await using var backSide = new SqliteCopySide(new SqliteDatabase(back));
        Assert.Equal(await DumpAsync(sqlite), await DumpAsync(backSide));
    }

    [Theory]
    [InlineData("mysql:bot", "postgres:", 2, "--from must name a database as sqlite:PATH or postgres:CONNECTION-STRING, not 'mysql:'")]
    [InlineData("sqlite:", "postgres:", 2, "--from sqlite: needs the path of the file")]
    [InlineData("sqlite:/nonexistent/bot.db", "postgres:", 5, "there is no database at /nonexistent/bot.db")]
    [InlineData("sqlite:SOURCE", "postgres:Hots=db;Password=PASSWORD", 2, "--to postgres:...: it is not a PostgreSQL connection string")]
    [InlineData("sqlite:SOURCE", "postgres:Host=127.0.0.1;Port=CLOSED;Database=gone;Username=bot;Password=PASSWORD;Timeout=2", 5, "Storage error: cannot open the PostgreSQL database gone on 127.0.0.1:")]
    [InlineData("sqlite:SOURCE", "sqlite:SOURCE", 2, "--from and --to are both")]
    public async Task StorageCopy_WrongArguments_SayWhatIsWrongWithTheExitCode(string from, string to, int expectedExitCode, string expectedError)
    {
        await using var sqlite = await TempDatabase.CreateAsync();
        string Fill(string text) => text.Replace("SOURCE", sqlite.Path, StringComparison.Ordinal).Replace("PASSWORD", server.Password, StringComparison.Ordinal)
            .Replace("CLOSED", ClosedPort().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["storage", "copy", "--from", Fill(from), "--to", Fill(to)],
            environment: new Dictionary<string, string> { ["ConnectionStrings__Postgres"] = server.ConnectionString("unused") });

        Assert.True(exitCode == expectedExitCode, stdout + stderr);
        Assert.Contains(expectedError, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Password, stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>A little of everything in every table; returns the last quiz instance id.</summary>
    private static async Task<long> FillAsync(TempDatabase database)
    {
        var quizzes = database.OpenQuizStore();
        var alice = StorageContractTests.Alice;
        var bob = alice with { User = "bob" };
        QuizInstance? last = null;
        for (var index = 0; index < 4; index++)
        {
            last = await quizzes.CreateInstanceAsync(StorageContractTests.Practice() with { CreatedAt = Now.AddDays(index) }, CancellationToken.None);
            await quizzes.RecordAnswerAsync(last, alice, "Alice", index % 3, Now.AddDays(index).AddMilliseconds(17), CancellationToken.None);
            await quizzes.RecordAnswerAsync(last, bob, "Bob 🙂", (index + 1) % 3, Now.AddDays(index).AddHours(15), CancellationToken.None);
        }

        var daily = await quizzes.CreateInstanceAsync(StorageContractTests.Practice() with { Kind = QuizInstanceKind.Daily, Owner = null, Topic = "Functions", RevealAt = Now.AddHours(8) }, CancellationToken.None);
        var posts = database.OpenDailyPostStore();
        await posts.TryClaimSlotAsync(new DailyClaim("terminal:local:daily", Now, "c:0123456789", "replica-a", Now, Now.AddMinutes(5), Now.AddHours(8)), CancellationToken.None);
        await posts.TryClaimSlotAsync(new DailyClaim("terminal:local:daily", Now.AddDays(1), "c:0123456789", "replica-b", Now.AddDays(1), Now.AddDays(1).AddMinutes(5), Now.AddDays(1).AddHours(8)), CancellationToken.None);
        var first = (await posts.PostsAsync("terminal:local:daily", CancellationToken.None))[0];
        await posts.SetInstanceAsync(first, daily.Id, CancellationToken.None);
        await posts.AdvanceAsync(first, DailyPostState.Posted, "message-1", Now.AddMinutes(1), CancellationToken.None);
        await posts.RecordFailureAsync((await posts.PostsAsync("terminal:local:daily", CancellationToken.None))[1], 2, Now.AddDays(1).AddMinutes(1), "the platform said 503", abandon: false, CancellationToken.None);
        await database.OpenLookupStore().AddAsync(
        [
            new UnansweredLookup("why are threads slow", ["gil", "threads"], Now),
            new UnansweredLookup("qwzxv", [], Now.AddDays(-1)),
            new UnansweredLookup("Qwzxv", [], Now.AddDays(-1)),
        ], CancellationToken.None);
        return daily.Id;
    }

    private static async Task<List<(string Table, long Rows)>> CountsAsync(TempDatabase storage)
    {
        await using var side = storage.OpenCopySide();
        await side.BeginAsync(write: false, CancellationToken.None);
        var counts = new List<(string, long)>();
        foreach (var table in StorageTables.All)
        {
            var rows = await side.CountAsync(table, CancellationToken.None);
            Assert.True(rows > 0, $"the test data leaves {table.Name} empty");
            counts.Add((table.Name, rows));
        }

        return counts;
    }

    private static async Task<List<string>> DumpAsync(ITestStorage storage)
    {
        await using var side = storage.OpenCopySide();
        return await DumpAsync(side);
    }

    /// <summary>Every row of every table, each value written out exactly (doubles to the last bit, nulls marked), sorted.</summary>
    private static async Task<List<string>> DumpAsync(CopySide side)
    {
        await side.BeginAsync(write: false, CancellationToken.None);
        var lines = new List<string>();
        foreach (var table in StorageTables.All)
        {
            await foreach (var row in side.ReadAsync(table, CancellationToken.None))
            {
                lines.Add(table.Name + ": " + string.Join(" | ", row.Select(value => value switch
                {
                    null => "NULL",
                    double number => number.ToString("R", CultureInfo.InvariantCulture),
                    DateOnly day => day.ToString("O", CultureInfo.InvariantCulture),
                    _ => $"{value.GetType().Name}:{Convert.ToString(value, CultureInfo.InvariantCulture)}",
                })));
            }
        }

        // Rows whose order the providers' collations decide differently are still the same rows.
        return [.. lines.Order(StringComparer.Ordinal)];
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ReadLinesAsync(StreamReader output, List<string> lines)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            lock (lines)
            {
                lines.Add(line);
            }
        }
    }

    private static bool Contains(List<string> lines, string text)
    {
        lock (lines)
        {
            return lines.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    private static string Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return string.Join("\n", lines);
        }
    }

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
}
