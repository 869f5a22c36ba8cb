using Bot.Core.Commands;
using Bot.Core.Explain;
using Bot.Core.Knowledge;
using Bot.Core.Replies;

namespace Bot.Core.Help;

/// <summary><c>/help</c>: the commands every platform offers (<see cref="CommandCatalog"/>), and the course to pick a concept from.</summary>
public sealed class HelpHandler(IKnowledgeBaseSource knowledge) : ICommandHandler<HelpRequest>
{
    public static string CommandName => CommandCatalog.Help.Name;

    /// <summary>The commands' help lines: the catalog is fixed, so they are put together once.</summary>
    private static readonly string CommandList = string.Join('\n', CommandCatalog.All.SelectMany(command => command.Help).Select(line => "- " + line));

    Task<CommandResult> ICommandHandler<HelpRequest>.HandleAsync(HelpRequest request, Caller caller, CancellationToken cancellationToken) =>
        HandleAsync(request, cancellationToken);

    public Task<CommandResult> HandleAsync(HelpRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var knowledgeBase = knowledge.Current;
        return Task.FromResult(new CommandResult(CommandName, new Reply
        {
            Title = "How to use the tutor",
            Summary = $"I teach {CourseMenu.Count(knowledgeBase)}: pick one to start, or type /explain to list them all.",
            Body = CommandList,
            Actions = [ReplyActions.Explain("", "List all concepts"), ReplyActions.NextQuestion(null, "Quiz me")],
            Menu = CourseMenu.Menu(knowledgeBase),
        }));
    }
}
