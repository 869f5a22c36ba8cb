using Microsoft.Extensions.Hosting;

namespace Bot.Discord.Interactions;

/// <summary>
/// Registered before everything else of the adapter, so that it stops last: by then no new
/// interactions arrive, and shutdown waits here for the ones still being answered.
/// </summary>
internal sealed class InFlightDrain(InFlightInteractions inFlight) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => inFlight.DrainAsync(cancellationToken);
}
