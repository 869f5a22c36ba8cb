using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Quiz;
using Bot.Core.Regex;
using Bot.Core.Replies;

namespace Bot.Core;

/// <summary>What a command produced: the reply, plus the typed outcome of commands that have one.</summary>
public sealed record CommandResult(string Command, Reply Reply, CommandOutcome? Outcome = null);

/// <summary>The typed facts behind a reply, for machine-readable output (e.g. <c>bot chat --json</c>).</summary>
public abstract record CommandOutcome;

/// <summary>Routes a parsed request to its handler; shared by every adapter's pipeline.</summary>
public sealed class CommandDispatcher(ExplainHandler explain, HelpHandler help, QuizHandler quiz, StatsHandler stats, RegexTestHandler regexTest)
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
            case QuizRequest quizRequest:
                var (question, asked) = await quiz.AskAsync(quizRequest, caller, cancellationToken).ConfigureAwait(false);
                return new CommandResult(QuizHandler.CommandName, question, asked);
            case QuizAnswerRequest answerRequest:
                var (result, answered) = await quiz.AnswerAsync(answerRequest, caller, cancellationToken).ConfigureAwait(false);
                return new CommandResult(QuizHandler.AnswerCommandName, result, answered);
            case StatsRequest:
                var (progress, shown) = await stats.StatsAsync(caller, cancellationToken).ConfigureAwait(false);
                return new CommandResult(StatsHandler.StatsCommandName, progress, shown);
            case LeaderboardRequest:
                var (board, ranked) = await stats.LeaderboardAsync(caller, cancellationToken).ConfigureAwait(false);
                return new CommandResult(StatsHandler.LeaderboardCommandName, board, ranked);
            case RegexTestRequest regexRequest:
                var (tested, testOutcome) = await regexTest.HandleAsync(regexRequest, cancellationToken).ConfigureAwait(false);
                return new CommandResult(RegexTestHandler.CommandName, tested, testOutcome);
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "No handler for this request type.");
        }
    }
}
