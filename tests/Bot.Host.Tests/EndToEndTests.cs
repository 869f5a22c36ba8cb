using System.Text.Json;

namespace Bot.Host.Tests;

/// <summary>The real host, started as a process and scripted through stdin and arguments.</summary>
public class EndToEndTests
{
    [Fact]
    public async Task Chat_JsonScript_AnswersEveryCommandWithExactlyOneJsonLine()
    {
        string[] script =
        [
            "/explain closures",
            "1",
            "/explain closurs",
            "/explain why are python threads slow",
            "",
            "/explain xyzzy plugh",
            "/explain generators example",
            "/help",
            "/frobnicate",
            "9",
        ];

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json", "--user", "alice"], string.Join('\n', script) + "\n");

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(script.Count(line => line.Length > 0), lines.Count);

        Assert.Equal("closures", lines[0].GetProperty("conceptId").GetString());
        Assert.Equal("Closures", lines[0].GetProperty("title").GetString());
        var firstAction = lines[0].GetProperty("reply").GetProperty("actions")[0];
        Assert.Equal("explain:" + lines[1].GetProperty("conceptId").GetString(), firstAction.GetProperty("id").GetString());
        Assert.Equal("closures", lines[2].GetProperty("conceptId").GetString());
        Assert.Equal("typo", lines[2].GetProperty("matchedBy").GetString());
        Assert.Equal("gil", lines[3].GetProperty("conceptId").GetString());
        Assert.Equal(0, lines[4].GetProperty("suggestions").GetArrayLength());
        Assert.Equal("Example", lines[5].GetProperty("section").GetString());
        Assert.Equal("help", lines[6].GetProperty("command").GetString());
        Assert.Equal("error", lines[7].GetProperty("command").GetString());
        Assert.Contains("/frobnicate", lines[7].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("There is no choice 9", lines[8].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_PlainTextWhenPiped_RendersTheReply()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat"], "/explain decorators\nquit\n/explain gil\n");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("Decorators", stdout, StringComparison.Ordinal);
        Assert.Contains("Type a number:", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Global Interpreter Lock", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_SigtermWhileWaitingForInput_ShutsDownGracefully()
    {
        using var process = BotProcess.Start(["chat", "--json"]);
        await process.StandardInput.WriteLineAsync("/explain closures");
        await process.StandardInput.FlushAsync();
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("\"conceptId\":\"closures\"", first, StringComparison.Ordinal);

        Assert.Equal(0, PosixSignals.Terminate(process.Id));

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Explain_OneShotJson_PrintsTheConcept()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["explain", "Deep", "Copy", "--json"]);

        Assert.True(exitCode == 0, stderr);
        var reply = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("shallow-vs-deep-copy", reply.GetProperty("conceptId").GetString());
        Assert.Equal("exact", reply.GetProperty("matchedBy").GetString());
    }

    [Fact]
    public async Task Explain_Unsure_ExitsWithNoMatchAndSuggestions()
    {
        var (exitCode, stdout, _) = await BotProcess.RunAsync(["explain", "generators iterators", "--json"]);

        Assert.Equal(4, exitCode);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("suggestions").GetArrayLength() > 0);
    }

    [Fact]
    public async Task ContentCheck_ValidFolder_PrintsConceptsAsJson()
    {
        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["content", "check", RepoPaths.Fixture("valid"), "--json"]);

        Assert.True(exitCode == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, report.GetProperty("errors").GetArrayLength());
        var closures = report.GetProperty("concepts").EnumerateArray().Single(concept => concept.GetProperty("id").GetString() == "closures");
        Assert.Equal("Closures", closures.GetProperty("title").GetString());
        Assert.Equal(["closure", "lexical closure"], closures.GetProperty("aliases").EnumerateArray().Select(alias => alias.GetString()));
        Assert.Equal(0, closures.GetProperty("questions").GetInt32());
    }

    [Fact]
    public async Task ContentCheck_BrokenFolder_PrintsPathLineMessageAndExitsOne()
    {
        var root = RepoPaths.Fixture(Path.Combine("broken", "unknown-related"));

        var (exitCode, stdout, _) = await BotProcess.RunAsync(["content", "check", root]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{Path.Combine(root, "python", "closures.md")}:6: related 'decorator' names no concept", stdout, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentCheck_BrokenFolderJson_ListsErrorsWithPathAndLine()
    {
        var root = RepoPaths.Fixture(Path.Combine("broken", "empty-body"));

        var (exitCode, stdout, _) = await BotProcess.RunAsync(["content", "check", root, "--json"]);

        Assert.Equal(1, exitCode);
        var error = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("errors").EnumerateArray());
        Assert.EndsWith("decorators.md", error.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.Equal(7, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Start_InvalidContent_RefusesAndPrintsTheErrors()
    {
        var root = RepoPaths.Fixture(Path.Combine("broken", "duplicate-alias"));

        var (exitCode, stdout, stderr) = await BotProcess.RunAsync(["chat", "--json"], "/explain closures\n", new Dictionary<string, string> { ["Content__Path"] = root });

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains($"{Path.Combine(root, "python", "scope.md")}:4: duplicate alias 'LEGB rule'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidConfiguration_ExitsThree()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["explain", "closures"], environment: new Dictionary<string, string> { ["Content__ReloadDelay"] = "00:01:00" });

        Assert.Equal(3, exitCode);
        Assert.Contains("Content:ReloadDelay", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwoWithUsageHint()
    {
        var (exitCode, _, stderr) = await BotProcess.RunAsync(["chat", "--frobnicate"]);

        Assert.Equal(2, exitCode);
        Assert.Contains("--frobnicate", stderr, StringComparison.Ordinal);
    }
}
