using System.Diagnostics;
using Bot.Core;
using Bot.Core.Replies;

namespace Bot.Host.Terminal;

/// <summary>
/// The terminal adapter: parses a line, runs it through Core's pipeline, and remembers the reply's
/// actions so that a number can press one.
/// </summary>
internal sealed class ChatSession(CommandPipeline pipeline, Caller caller)
{
    private IReadOnlyList<ReplyAction> _lastActions = [];

    /// <summary>Returns null for a blank line, and for quit.</summary>
    public async Task<CommandResult?> HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        var result = ChatInput.Parse(line) switch
        {
            EmptyInput or QuitInput => null,
            CommandInput input => await pipeline.RunAsync(input.Command, caller, cancellationToken),
            ActionNumberInput choice => await ChooseActionAsync(choice.Number, cancellationToken),
            _ => throw new UnreachableException(),
        };
        if (result is not null)
        {
            _lastActions = result.Reply.Actions;
        }

        return result;
    }

    public static bool IsQuit(string line) => ChatInput.Parse(line) is QuitInput;

    private Task<CommandResult> ChooseActionAsync(int number, CancellationToken cancellationToken)
    {
        if (number >= 1 && number <= _lastActions.Count)
        {
            return pipeline.RunActionAsync(_lastActions[number - 1].Id, caller, cancellationToken);
        }

        var choices = _lastActions.Count == 0
            ? "The last reply had no numbered choices."
            : $"Pick a number from 1 to {_lastActions.Count}.";
        return Task.FromResult(ProblemReply.Result("No such choice", $"There is no choice {number}. {choices}"));
    }
}
