using System.Text.Json;

namespace Bot.Host.Tests;

/// <summary>Quizzes through the real process: state in the SQLite file outlives the process.</summary>
public class QuizEndToEndTests
{
    [Fact]
    public async Task Chat_AnswersInOneProcess_ShowInTheNextProcesssStats()
    {
        var folder = Directory.CreateTempSubdirectory("bot-e2e-");
        var environment = new Dictionary<string, string> { ["Storage__Path"] = Path.Combine(folder.FullName, "bot.db") };
        try
        {
            var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json", "--user", "alice"],
                "/quiz closures\n1\n/quiz\n2\n2\n/stats\n", environment);
            Assert.True(exitCode == 0, stderr);
            var first = Lines(stdout);
            // After an answer the numbers choose its actions: 1 explains the concept, 2 asks the next question.
            Assert.Equal(["quiz", "quiz-answer", "quiz", "quiz-answer", "quiz", "stats"], first.Select(line => line.GetProperty("command").GetString()));
            Assert.Equal("closures", first[0].GetProperty("conceptId").GetString());
            Assert.InRange(first[0].GetProperty("choices").GetArrayLength(), 3, 4);
            Assert.True(first[1].GetProperty("counted").GetBoolean());
            Assert.Equal(1, first[1].GetProperty("choice").GetInt32());
            var firstCorrect = first[1].GetProperty("correct").GetBoolean();
            var secondCorrect = first[3].GetProperty("correct").GetBoolean();
            Assert.Equal("quiz:next", first[3].GetProperty("reply").GetProperty("actions")[1].GetProperty("id").GetString());
            Assert.Equal(2, first[5].GetProperty("answered").GetInt32());

            (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json", "--user", "alice"], "/stats\n/leaderboard\n", environment);
            Assert.True(exitCode == 0, stderr);
            var second = Lines(stdout);
            Assert.Equal(2, second[0].GetProperty("answered").GetInt32());
            Assert.Equal((firstCorrect ? 1 : 0) + (secondCorrect ? 1 : 0), second[0].GetProperty("correct").GetInt32());
            Assert.Equal(1, second[0].GetProperty("streakDays").GetInt32());
            var allTime = second[1].GetProperty("leaderboard").GetProperty("allTime");
            Assert.Equal("alice", allTime[0].GetProperty("name").GetString());

            (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json", "--user", "bob"], "/stats\n", environment);
            Assert.True(exitCode == 0, stderr);
            Assert.Equal(0, Lines(stdout)[0].GetProperty("answered").GetInt32());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serve_PostsTheDailyQuestionToATerminalTargetAndStopsOnSigterm()
    {
        var folder = Directory.CreateTempSubdirectory("bot-e2e-");
        var environment = new Dictionary<string, string>
        {
            ["Storage__Path"] = Path.Combine(folder.FullName, "bot.db"),
            // Every minute, with a grace that makes the current minute's slot due at start.
            ["DailyQuiz__Cron"] = "* * * * *",
            ["DailyQuiz__CatchUpGrace"] = "00:02:00",
            ["DailyQuiz__Targets__0__Channel"] = "daily",
        };
        try
        {
            using var process = BotProcess.Start(["serve"], environment);
            var output = new List<string>();
            while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
            {
                output.Add(line);
                if (line.Contains("Daily quiz:", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.Equal(0, PosixSignals.Terminate(process.Id));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, process.ExitCode);
            Assert.Contains(output, line => line.Contains("#daily", StringComparison.Ordinal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Serve_BadSchedule_ExitsThreeNamingTheKey()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["serve"], environment: new Dictionary<string, string>
        {
            ["DailyQuiz__TimeZone"] = "Mars/Olympus",
            ["DailyQuiz__Targets__0__Channel"] = "daily",
        });

        Assert.Equal(3, exitCode);
        Assert.Contains("DailyQuiz:TimeZone 'Mars/Olympus' is not a known IANA time zone", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DatabaseFromANewerVersion_ExitsFiveWithAClearMessage()
    {
        var folder = Directory.CreateTempSubdirectory("bot-e2e-");
        var path = Path.Combine(folder.FullName, "bot.db");
        try
        {
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA user_version = 99;";
                await command.ExecuteNonQueryAsync();
            }

            var (exitCode, _, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/stats\n", new Dictionary<string, string> { ["Storage__Path"] = path });

            Assert.Equal(5, exitCode);
            Assert.Contains("has schema version 99, newer than this bot's", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
}
