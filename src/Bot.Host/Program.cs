using Bot.Discord;
using Bot.Host;
using Bot.Host.Cli;
using Bot.Host.Daily;
using Bot.Host.Health;
using Bot.Host.Telemetry;
using Bot.Host.Terminal;
using Bot.Slack;
using Microsoft.AspNetCore.Builder;
using Serilog;
using Serilog.Events;

Log.Logger = new LoggerConfiguration()
    .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose)
    .CreateBootstrapLogger();

try
{
    var parse = BotCommandLine.Build().Parse(args);
    if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
    {
        foreach (var error in parse.Errors)
        {
            await Console.Error.WriteLineAsync(error.Message);
        }

        await Console.Error.WriteLineAsync("Run 'bot --help' for usage.");
        return ExitCodes.Usage;
    }

    return await parse.InvokeAsync();
}
catch (Exception exception)
{
    Log.Fatal(exception, "The bot stopped unexpectedly");
    return ExitCodes.Failure;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>What <c>bot serve</c> runs; the other verbs are in <see cref="BotCommandLine"/>.</summary>
internal partial class Program
{
    /// <summary>The services of <c>serve</c>, which <c>doctor</c> also builds to inspect. <paramref name="args"/> are ASP.NET Core's switches (<c>--urls</c>).</summary>
    public static WebApplicationBuilder CreateServerBuilder(string[] args, bool quiet = false)
    {
        var builder = BotHost.CreateWebBuilder(args, quiet);
        builder.Services.AddInFlightDrain();
        builder.Services.AddBotHealthChecks();
        builder.Services.AddBotTelemetry(builder.Configuration);
        builder.Services.AddDailyQuiz();
        builder.Services.AddTerminalDailyPublisher();
        builder.Services.AddDiscord(builder.Configuration);
        builder.Services.AddSlack(builder.Configuration);
        return builder;
    }

    /// <summary><c>serve</c>'s web host: the services above and what they answer over HTTP.</summary>
    public static WebApplication BuildServer(string[] args)
    {
        var app = CreateServerBuilder(args).Build();
        app.MapBotHealth();
        app.MapBotMetrics();
        app.MapDiscord();
        app.MapSlack();
        return app;
    }
}
