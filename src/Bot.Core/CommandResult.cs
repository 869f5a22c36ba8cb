using Bot.Core.Replies;

namespace Bot.Core;

/// <summary>
/// What every handler returns: the command's name, the reply, and the typed outcome of commands that
/// have one (for machine-readable output such as <c>bot chat --json</c>).
/// </summary>
public sealed record CommandResult(string Command, Reply Reply, CommandOutcome? Outcome = null)
{
    public void Deconstruct(out Reply reply, out CommandOutcome? outcome)
    {
        reply = Reply;
        outcome = Outcome;
    }
}

/// <summary>The typed facts behind a reply.</summary>
public abstract record CommandOutcome;

/// <summary>The handler failed; the reply is an apology and the error is in the log.</summary>
public sealed record CommandFailed : CommandOutcome;
