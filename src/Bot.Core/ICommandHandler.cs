namespace Bot.Core;

/// <summary>What every handler is, so the dispatcher can be given them all; see <see cref="ICommandHandler{TRequest}"/>.</summary>
public interface ICommandHandler;

/// <summary>
/// Answers one kind of request. The dispatcher finds it by the request's type, so a new command is a
/// request, its handler and its entry in <see cref="Commands.CommandCatalog"/>.
/// </summary>
public interface ICommandHandler<TRequest> : ICommandHandler
    where TRequest : BotRequest<TRequest>
{
    Task<CommandResult> HandleAsync(TRequest request, Caller caller, CancellationToken cancellationToken);
}
