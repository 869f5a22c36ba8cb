using Bot.Core.Replies;

namespace Bot.Core.Help;

/// <summary><c>/help</c>: the commands every platform offers.</summary>
public sealed class HelpHandler
{
    public const string CommandName = "help";

    public Task<Reply> HandleAsync(HelpRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new Reply
        {
            Title = "How to use the tutor",
            Body = """
                - `/explain <topic>`: a concept explained, e.g. `/explain closures`. Typos and questions work too: `/explain decarators`, `/explain why are python threads slow`.
                - `/explain <topic> example`: just one section (`example`, `pitfalls`, `definition`, `see also`).
                - `/explain`: every concept I know.
                - `/help`: this message.
                """,
            Actions = [ReplyActions.Explain("", "List all concepts")],
        });
    }
}
