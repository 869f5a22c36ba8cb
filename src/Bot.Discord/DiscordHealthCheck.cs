using Bot.Discord.Commands;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>Ready when commands are registered and, in gateway mode, the gateway session is live.</summary>
internal sealed class DiscordHealthCheck(DiscordStatus status, CommandRegistration registration, IOptions<DiscordOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        var transport = options.Value.Transport;
        HealthCheckResult result = current.State switch
        {
            DiscordState.Failed => HealthCheckResult.Unhealthy(current.Detail),
            _ when !registration.IsRegistered => HealthCheckResult.Unhealthy("registering slash commands"),
            _ when transport == DiscordTransport.Http => HealthCheckResult.Healthy("HTTP interactions at /discord/interactions; commands registered"),
            DiscordState.Ready => HealthCheckResult.Healthy(current.Detail),
            _ => HealthCheckResult.Unhealthy($"gateway {current.State.ToString().ToLowerInvariant()}: {current.Detail}"),
        };
        return Task.FromResult(result);
    }
}
