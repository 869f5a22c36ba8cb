using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Replies;

namespace Bot.Core;

/// <summary>What a command produced: the reply, plus the typed outcome of commands that have one.</summary>
public sealed record CommandResult(string Command, Reply Reply, ExplainOutcome? Explained = null);

/// <summary>Routes a parsed request to its handler; shared by every adapter's pipeline.</summary>
public sealed class CommandDispatcher(ExplainHandler explain, HelpHandler help)
{
    public async Task<CommandResult> DispatchAsync(BotRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        switch (request)
        {
            case ExplainRequest explainRequest:
                var explained = await explain.HandleAsync(explainRequest, cancellationToken).ConfigureAwait(false);
                return new CommandResult(ExplainHandler.CommandName, explained.Reply, explained.Outcome);
            case HelpRequest helpRequest:
                return new CommandResult(HelpHandler.CommandName, await help.HandleAsync(helpRequest, cancellationToken).ConfigureAwait(false));
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "No handler for this request type.");
        }
    }
}
