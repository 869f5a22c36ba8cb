using System.Globalization;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Spectre.Console;

namespace Bot.Host.Terminal;

/// <summary>The terminal's daily quiz: the question and, later, its reveal are printed to stdout.</summary>
internal sealed class TerminalDailyPublisher : IDailyQuizPublisher
{
    private readonly Lock _output = new();
    private IAnsiConsole? _console;
    private int _posted;

    public TerminalDailyPublisher(IAnsiConsole console)
    {
        _console = console;
    }

    /// <summary>Writes to the process's console, found when the first post is printed: <c>serve</c> registers
    /// this publisher but seldom posts to the terminal, and finding the console loads Spectre.Console.</summary>
    public TerminalDailyPublisher()
    {
    }

    private IAnsiConsole Terminal => _console ??= AnsiConsole.Console;

    public Platform Platform => Platform.Terminal;

    public Task<string> PostAsync(ChannelTarget target, DateTimeOffset slot, Reply question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_output)
        {
            Terminal.MarkupLine($"[grey]#{Markup.Escape(target.Channel)}[/]");
            new TerminalRenderer(Terminal).Render(question);
            return Task.FromResult($"terminal-{(++_posted).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_output)
        {
            Terminal.MarkupLine($"[grey]#{Markup.Escape(target.Channel)}, in reply to {Markup.Escape(messageId)}[/]");
            new TerminalRenderer(Terminal).Render(reveal);
            return Task.CompletedTask;
        }
    }
}
