using Bot.Adapters;
using Bot.Core;
using Microsoft.Extensions.Hosting;

namespace Bot.Host;

/// <summary>
/// Registered before the adapters, so that it stops after them: by then no new work arrives, and
/// shutdown waits here for the answers still being sent.
/// </summary>
internal sealed class InFlightDrain(InFlightWork inFlight) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => inFlight.DrainAsync(cancellationToken);
}
