using Bot.Adapters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

internal static class InFlightDrainServiceCollectionExtensions
{
    /// <summary>Waits at shutdown for answers still being sent; add it before the adapters so that it stops after them.</summary>
    public static IServiceCollection AddInFlightDrain(this IServiceCollection services)
    {
        services.TryAddSingleton<InFlightWork>();
        services.AddHostedService<InFlightDrain>();
        return services;
    }
}
