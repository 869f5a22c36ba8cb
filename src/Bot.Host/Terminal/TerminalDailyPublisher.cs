using System.Globalization;
using Bot.Core;
using Bot.Core.Quiz;
using Bot.Core.Replies;
using Spectre.Console;

namespace Bot.Host.Terminal;

/// <summary>The terminal's daily quiz: the question and, later, its reveal are printed to stdout.</summary>
internal sealed class TerminalDailyPublisher(IAnsiConsole console) : IDailyQuizPublisher
{
    private readonly Lock _output = new();
    private int _posted;

    public TerminalDailyPublisher()
        : this(AnsiConsole.Console)
    {
    }

    public Platform Platform => Platform.Terminal;

    public Task<string> PostAsync(ChannelTarget target, DateTimeOffset slot, Reply question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_output)
        {
            console.MarkupLine($"[grey]#{Markup.Escape(target.Channel)}[/]");
            new TerminalRenderer(console).Render(question);
            return Task.FromResult($"terminal-{(++_posted).ToString(CultureInfo.InvariantCulture)}");
        }
    }

    public Task RevealAsync(ChannelTarget target, string messageId, Reply reveal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_output)
        {
            console.MarkupLine($"[grey]#{Markup.Escape(target.Channel)}, in reply to {Markup.Escape(messageId)}[/]");
            new TerminalRenderer(console).Render(reveal);
            return Task.CompletedTask;
        }
    }
}
