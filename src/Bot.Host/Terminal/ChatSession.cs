using System.Diagnostics;
using Bot.Core;
using Bot.Core.Replies;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Terminal;

/// <summary>
/// The terminal adapter's pipeline: parses a line, dispatches it to Core, remembers the reply's
/// actions so a number can choose one, turns any failure into one polite reply and logs timing.
/// </summary>
internal sealed partial class ChatSession(CommandDispatcher dispatcher, Caller caller, ILogger<ChatSession> logger)
{
    private const string ErrorCommand = "error";

    private IReadOnlyList<ReplyAction> _lastActions = [];

    /// <summary>Returns null for a blank line, and for quit.</summary>
    public async Task<CommandResult?> HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        var input = ChatInput.Parse(line);
        var result = input switch
        {
            EmptyInput or QuitInput => null,
            RequestInput request => await DispatchAsync(request.Request, cancellationToken),
            ActionNumberInput choice => await ChooseActionAsync(choice.Number, cancellationToken),
            UsageInput usage => Problem("How to use this command", usage.Message),
            UnknownCommandInput unknown => Problem(
                "Unknown command",
                $"There is no command `/{MarkdownText.Escape(MarkdownText.Clip(unknown.Name, 40))}`. Try `/help` to see what I can do."),
            _ => throw new UnreachableException(),
        };
        if (result is not null)
        {
            _lastActions = result.Reply.Actions;
        }

        return result;
    }

    public static bool IsQuit(string line) => ChatInput.Parse(line) is QuitInput;

    private async Task<CommandResult> ChooseActionAsync(int number, CancellationToken cancellationToken)
    {
        if (number < 1 || number > _lastActions.Count)
        {
            var choices = _lastActions.Count == 0
                ? "The last reply had no numbered choices."
                : $"Pick a number from 1 to {_lastActions.Count}.";
            return Problem("No such choice", $"There is no choice {number}. {choices}");
        }

        var action = _lastActions[number - 1];
        return ReplyActions.Parse(action.Id) is { } request
            ? await DispatchAsync(request, cancellationToken)
            : Problem("Unavailable", $"“{action.Label}” is not available in the terminal.");
    }

    private async Task<CommandResult> DispatchAsync(BotRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await dispatcher.DispatchAsync(request, caller, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogHandled(result.Command, caller.User, elapsed);
            return result;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(exception, request, caller.User);
            return Problem("Something went wrong", "Sorry, that command failed on my side. The error has been logged; please try again.");
        }
    }

    private static CommandResult Problem(string title, string body) =>
        new(ErrorCommand, new Reply { Title = title, Body = body, Tone = ReplyTone.Error });

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handled {Command} for {User} in {Elapsed}")]
    private partial void LogHandled(string command, string user, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Request} from {User} failed")]
    private partial void LogFailed(Exception exception, BotRequest request, string user);
}
