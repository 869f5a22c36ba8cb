using Bot.Host;
using Bot.Host.Cli;
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
