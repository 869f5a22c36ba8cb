namespace Bot.Core;

/// <summary>A parsed command, independent of the platform it came from.</summary>
public abstract record BotRequest
{
    /// <summary>Hands the request to the handler of its own type.</summary>
    internal abstract Task<CommandResult> HandleWithAsync(CommandDispatcher dispatcher, Caller caller, CancellationToken cancellationToken);
}

/// <summary>A request answered by the <see cref="ICommandHandler{TRequest}"/> of its own type.</summary>
public abstract record BotRequest<TSelf> : BotRequest
    where TSelf : BotRequest<TSelf>
{
    internal sealed override Task<CommandResult> HandleWithAsync(CommandDispatcher dispatcher, Caller caller, CancellationToken cancellationToken) =>
        dispatcher.HandlerOf<TSelf>().HandleAsync((TSelf)this, caller, cancellationToken);
}

/// <summary><c>/explain [query]</c>; an empty query lists the course.</summary>
public sealed record ExplainRequest(string Query) : BotRequest<ExplainRequest>;

/// <summary><c>/help</c>.</summary>
public sealed record HelpRequest : BotRequest<HelpRequest>;

/// <summary><c>/quiz [topic]</c>; without a topic the learner's review queue picks the question.</summary>
public sealed record QuizRequest(string? Topic) : BotRequest<QuizRequest>;

/// <summary>A press of answer button <paramref name="Choice"/> (zero-based) on quiz message <paramref name="InstanceId"/>.</summary>
public sealed record QuizAnswerRequest(long InstanceId, int Choice) : BotRequest<QuizAnswerRequest>;

/// <summary><c>/stats</c>: the caller's own progress.</summary>
public sealed record StatsRequest : BotRequest<StatsRequest>;

/// <summary><c>/leaderboard</c>: the caller's guild or workspace, this week and all time.</summary>
public sealed record LeaderboardRequest : BotRequest<LeaderboardRequest>;

/// <summary><c>/regex-test</c>: run <paramref name="Pattern"/> on <paramref name="Text"/> with Python's <c>re</c> semantics.</summary>
/// <param name="Flags">Letters from <c>imsxa</c>; null or empty for none.</param>
/// <param name="Mode">finditer (the default), search, match, fullmatch, findall, split or sub.</param>
/// <param name="Replacement">The template for sub, e.g. <c>\g&lt;1&gt;</c>.</param>
public sealed record RegexTestRequest(string Pattern, string Text, string? Flags = null, string? Mode = null, string? Replacement = null) : BotRequest<RegexTestRequest>;
