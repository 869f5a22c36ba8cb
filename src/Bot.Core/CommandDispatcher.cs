using System.Collections.Concurrent;

namespace Bot.Core;

/// <summary>Routes a request to the handler of its type; shared by every adapter's pipeline.</summary>
public sealed class CommandDispatcher(IEnumerable<ICommandHandler> handlers)
{
    private readonly ICommandHandler[] _handlers = [.. handlers];
    private readonly ConcurrentDictionary<Type, ICommandHandler> _byRequestType = new();

    public async Task<CommandResult> DispatchAsync(BotRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        return await request.HandleWithAsync(this, caller, cancellationToken).ConfigureAwait(false);
    }

    internal ICommandHandler<TRequest> HandlerOf<TRequest>()
        where TRequest : BotRequest<TRequest> =>
        (ICommandHandler<TRequest>)_byRequestType.GetOrAdd(typeof(TRequest), static (type, all) =>
            all.OfType<ICommandHandler<TRequest>>().SingleOrDefault()
            ?? throw new InvalidOperationException($"No handler for {type.Name}: register one ICommandHandler<{type.Name}>."), _handlers);
}
