using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Bot.Host.Logging;

/// <summary>The bot's console sink, named <c>BufferedConsole</c> in the <c>Serilog:WriteTo</c> configuration.</summary>
public static class BufferedConsoleSinkExtensions
{
    public const string DefaultOutputTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:l}{NewLine}{Exception}";

    /// <summary>How long the sink lets events gather before it writes them.</summary>
    internal static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);

    /// <summary>How many events are written at once at most before the delay is up.</summary>
    internal const int BatchSize = 256;

    /// <summary>How many events may wait to be written; past it they are dropped and counted.</summary>
    internal const int Capacity = 100_000;

    /// <summary>
    /// Every event to stderr, as text. In a terminal through Serilog's console sink (colours, each line at
    /// once); redirected (a container's log, a service manager, a file) through <see cref="BufferedTextSink"/>,
    /// a few writes a second however busy the bot is.
    /// </summary>
    public static LoggerConfiguration BufferedConsole(this LoggerSinkConfiguration sinks, string outputTemplate = DefaultOutputTemplate)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        return Console.IsErrorRedirected
            ? sinks.Sink(new BufferedTextSink(Console.OpenStandardError(), new MessageTemplateTextFormatter(outputTemplate), Delay, BatchSize, Capacity, TimeProvider.System))
            : sinks.Async(terminal => terminal.Console(outputTemplate: outputTemplate, standardErrorFromLevel: LogEventLevel.Verbose));
    }
}
