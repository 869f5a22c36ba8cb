using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;

namespace Bot.Core;

/// <summary>Routes a parsed request to its handler; shared by every adapter's pipeline.</summary>
public sealed class CommandDispatcher(ExplainHandler explain, HelpHandler help, QuizHandler quiz, StatsHandler stats, RegexTestHandler regexTest)
{
    public async Task<CommandResult> DispatchAsync(BotRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        switch (request)
        {
            case ExplainRequest explainRequest:
                return await explain.HandleAsync(explainRequest, cancellationToken).ConfigureAwait(false);
            case HelpRequest helpRequest:
                return await help.HandleAsync(helpRequest, cancellationToken).ConfigureAwait(false);
            case QuizRequest quizRequest:
                return await quiz.AskAsync(quizRequest, caller, cancellationToken).ConfigureAwait(false);
            case QuizAnswerRequest answerRequest:
                return await quiz.AnswerAsync(answerRequest, caller, cancellationToken).ConfigureAwait(false);
            case StatsRequest:
                return await stats.StatsAsync(caller, cancellationToken).ConfigureAwait(false);
            case LeaderboardRequest:
                return await stats.LeaderboardAsync(caller, cancellationToken).ConfigureAwait(false);
            case RegexTestRequest regexRequest:
                return await regexTest.HandleAsync(regexRequest, cancellationToken).ConfigureAwait(false);
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request, "No handler for this request type.");
        }
    }
}
