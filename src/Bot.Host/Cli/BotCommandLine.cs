using System.CommandLine;
using Bot.Core;
using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.RegexTest;
using Bot.Host.Terminal;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Bot.Host.Cli;

/// <summary>The verbs: chat, serve, explain, search-report, regex-test, content check, health, doctor and storage copy.</summary>
internal static class BotCommandLine
{
    public static RootCommand Build()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per command on stdout instead of formatted text." };
        var user = new Option<string?>("--user") { Description = "The user name to chat as (default: your login name)." };

        var chat = new Command("chat", "Chat with the tutor in this terminal; reads one command per line when stdin is not a terminal.") { json, user };
        chat.SetAction((parse, cancellationToken) => ChatAsync(parse.GetValue(json), parse.GetValue(user), cancellationToken));

        var query = new Argument<string[]>("query") { Arity = ArgumentArity.ZeroOrMore, Description = "The topic, e.g. closures or \"why are python threads slow\"." };
        var explain = new Command("explain", "Explain one concept and exit.") { query, json };
        explain.SetAction((parse, cancellationToken) => ExplainAsync(string.Join(' ', parse.GetValue(query) ?? []), parse.GetValue(json), cancellationToken));

        var days = new Option<int>("--days") { Description = "How many days back to look.", DefaultValueFactory = _ => SearchReport.DefaultDays };
        var limit = new Option<int>("--limit") { Description = "How many queries to list at most.", DefaultValueFactory = _ => SearchReport.DefaultLimit };
        var searchReport = new Command("search-report", "List the /explain queries that most often ended unsure or found nothing, to see which aliases or concepts are missing.")
        {
            days, limit, json,
        };
        searchReport.SetAction((parse, cancellationToken) => SearchReport.RunAsync(parse.GetValue(days), parse.GetValue(limit), parse.GetValue(json), cancellationToken));

        var directory = new Argument<string?>("dir") { Arity = ArgumentArity.ZeroOrOne, Description = "The content folder (default: Content:Path, normally content)." };
        var run = new Option<bool>("--run") { Description = "After validating, run every python example and compare it with its output block; failures as path:line." };
        var python = new Option<string?>("--python") { Description = "The Python that runs the examples with --run (default: python3 on PATH)." };
        var check = new Command("check", "Validate the content and print every error as path:line: message.") { directory, json, run, python };
        check.SetAction((parse, cancellationToken) =>
            ContentCheck.RunAsync(parse.GetValue(directory), parse.GetValue(json), parse.GetValue(run), parse.GetValue(python), cancellationToken));
        var content = new Command("content", "Work with the course content.") { check };

        var serve = new Command("serve", "Run the web host until stopped: Discord (when configured), the daily quiz and /healthz, /readyz. ASP.NET Core switches such as --urls pass through.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((parse, cancellationToken) => ServeAsync([.. parse.UnmatchedTokens], cancellationToken));

        var ready = new Option<bool>("--ready") { Description = "Check /readyz (everything connected) instead of /healthz (the process answers)." };
        var url = new Option<string?>("--url") { Description = "The server's base URL (default: http://127.0.0.1 on the port from ASPNETCORE_HTTP_PORTS, or 8080)." };
        var health = new Command("health", "Ask a running 'bot serve' whether it is healthy; exit 0 if so. For Docker's HEALTHCHECK.") { ready, url };
        health.SetAction((parse, cancellationToken) => HealthProbe.RunAsync(parse.GetValue(url), parse.GetValue(ready), cancellationToken));

        var doctor = new Command("doctor", "Check what serve would meet (configuration, content, storage, each platform's credentials, scopes, daily-quiz channels and clock) and say how to fix what is wrong; exit 0 only when all pass.");
        doctor.SetAction((_, cancellationToken) => Doctor.RunAsync(cancellationToken));

        var from = new Option<string>("--from") { Required = true, Description = "The database to copy: sqlite:PATH or postgres:CONNECTION-STRING." };
        var to = new Option<string>("--to") { Required = true, Description = "The database to copy into, created or upgraded as needed; postgres: alone takes ConnectionStrings:Postgres from the environment or /run/secrets." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Delete what the target holds before copying (without it, a target that holds data is refused)." };
        var copy = new Command("copy", "Copy every table (quizzes, answers, learners, review schedules, daily posts, lookups) from one database to another with their ids, and compare each table's count.")
        {
            from, to, overwrite,
        };
        copy.SetAction((parse, cancellationToken) => StorageCopy.RunAsync(parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(overwrite), cancellationToken));
        var storage = new Command("storage", "Work with the bot's database.") { copy };

        var jsonl = new Option<bool>("--jsonl") { Description = "Read regex cases as JSON Lines on stdin and print one JSON answer per line." };
        var pattern = new Option<string?>("--pattern") { Description = "The regular expression, in Python's re syntax." };
        var text = new Option<string?>("--text") { Description = "The text to run it on." };
        var flags = new Option<string?>("--flags") { Description = "Letters from imsxa: IGNORECASE, MULTILINE, DOTALL, VERBOSE, ASCII." };
        var mode = new Option<string?>("--mode") { Description = "finditer (default), search, match, fullmatch, findall, split or sub." };
        var repl = new Option<string?>("--repl") { Description = "The replacement for --mode sub, e.g. \\g<1>." };
        var regexTest = new Command("regex-test", "Run a regular expression exactly as Python's re does: matches marked, groups, the pattern explained.")
        {
            pattern, text, flags, mode, repl, json, jsonl,
        };
        regexTest.SetAction((parse, cancellationToken) => parse.GetValue(jsonl)
            ? Task.FromResult(RegexJsonl.Run(Console.In, Console.Out))
            : RegexTestAsync(parse.GetValue(pattern), parse.GetValue(text), parse.GetValue(flags), parse.GetValue(mode), parse.GetValue(repl), parse.GetValue(json), cancellationToken));

        var root = new RootCommand("A chat tutor for programming concepts. With no verb: serve when a platform token is configured, else the terminal chat.")
        {
            chat, explain, searchReport, content, regexTest, serve, health, doctor, storage, json, user,
        };
        root.SetAction((parse, cancellationToken) => BotHost.AnyPlatformConfigured() && !parse.GetValue(json) && parse.GetValue(user) is null
            ? ServeAsync([], cancellationToken)
            : ChatAsync(parse.GetValue(json), parse.GetValue(user), cancellationToken));
        return root;
    }

    private static async Task<int> ChatAsync(bool json, string? user, CancellationToken cancellationToken)
    {
        using var host = BotHost.CreateBuilder(quiet: true, watchContent: true).Build();
        return await BotHost.RunAsync(host, async (services, stopping) =>
        {
            var name = string.IsNullOrWhiteSpace(user) ? Environment.UserName : user.Trim();
            var caller = new Caller(Platform.Terminal, "local", "terminal", name, name);
            var session = new ChatSession(services.GetRequiredService<CommandPipeline>(), caller);
            await new TerminalChat(session, json).RunAsync(stopping);
            return ExitCodes.Success;
        }, cancellationToken);
    }

    private static async Task<int> ServeAsync(string[] aspNetArgs, CancellationToken cancellationToken)
    {
        await using var app = Program.BuildServer(aspNetArgs);
        return await BotHost.RunAsync(app, async (services, stopping) =>
        {
            BotHost.LogAddresses(services);
            await Task.Delay(Timeout.Infinite, stopping);
            return ExitCodes.Success;
        }, cancellationToken);
    }

    private static async Task<int> RegexTestAsync(string? pattern, string? text, string? flags, string? mode, string? repl, bool json, CancellationToken cancellationToken)
    {
        if (pattern is null || text is null)
        {
            await Console.Error.WriteLineAsync("regex-test needs --pattern and --text (or --jsonl to read cases from stdin). Try: bot regex-test --pattern '\\d+' --text 'a 12 b'");
            return ExitCodes.Usage;
        }

        using var host = BotHost.CreateBuilder(quiet: true, watchContent: false).Build();
        return await BotHost.RunAsync(host, async (services, stopping) =>
        {
            var caller = new Caller(Platform.Terminal, "local", "cli", Environment.UserName);
            var result = await services.GetRequiredService<CommandDispatcher>().DispatchAsync(new RegexTestRequest(pattern, text, flags, mode, repl), caller, stopping);
            if (json)
            {
                Console.Out.WriteLine(ChatJson.Serialize(result));
            }
            else
            {
                new TerminalRenderer(AnsiConsole.Console).Render(result.Reply);
            }

            return result.Outcome is RegexRejected { InvalidInput: true } ? ExitCodes.Usage : ExitCodes.Success;
        }, cancellationToken);
    }

    private static async Task<int> ExplainAsync(string query, bool json, CancellationToken cancellationToken)
    {
        using var host = BotHost.CreateBuilder(quiet: true, watchContent: false).Build();
        return await BotHost.RunAsync(host, async (services, stopping) =>
        {
            var dispatcher = services.GetRequiredService<CommandDispatcher>();
            var caller = new Caller(Platform.Terminal, "local", "cli", Environment.UserName);
            var result = await dispatcher.DispatchAsync(new ExplainRequest(query), caller, stopping);
            if (json)
            {
                Console.Out.WriteLine(ChatJson.Serialize(result));
            }
            else
            {
                new TerminalRenderer(AnsiConsole.Console).Render(result.Reply);
            }

            return result.Outcome is ConceptSuggestions ? ExitCodes.NoMatch : ExitCodes.Success;
        }, cancellationToken);
    }
}
