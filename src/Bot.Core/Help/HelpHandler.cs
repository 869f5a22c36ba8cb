using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.Replies;

namespace Bot.Core.Help;

/// <summary><c>/help</c>: the commands every platform offers, and the course to pick a concept from.</summary>
public sealed class HelpHandler(IKnowledgeBaseSource knowledge)
{
    public const string CommandName = "help";

    public Task<CommandResult> HandleAsync(HelpRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var knowledgeBase = knowledge.Current;
        return Task.FromResult(new CommandResult(CommandName, new Reply
        {
            Title = "How to use the tutor",
            Summary = $"I teach {CourseMenu.Count(knowledgeBase)}: pick one to start, or type /explain to list them all.",
            Body = """
                - `/explain <topic>`: a concept explained, e.g. `/explain closures`. Typos and questions work too: `/explain decarators`, `/explain why are python threads slow`.
                - `/explain <topic> example`: just one section (`example`, `pitfalls`, `definition`, `see also`).
                - `/explain`: every concept I know, by topic.
                - `/quiz`: a question picked for you: reviews that are due, then your weakest concepts, then new ones.
                - `/quiz <topic>`: a question on one concept, e.g. `/quiz generators`.
                - `/stats`: your answers, accuracy, streak, weakest concepts and next review.
                - `/leaderboard`: the best learners here, this week and all time.
                - `/regex-test pattern: <regex> text: <text>`: run a regular expression exactly as Python's `re` does, with the matches marked and the pattern explained. Add `flags: imsxa`, `mode: findall` (or `search`, `match`, `fullmatch`, `split`, `sub` with `repl: ...`). Short form: `/regex-test <regex> <text>`.
                - `/help`: this message.
                """,
            Actions = [ReplyActions.Explain("", "List all concepts"), ReplyActions.NextQuestion(null, "Quiz me")],
            Menu = CourseMenu.Menu(knowledgeBase),
        }));
    }
}
