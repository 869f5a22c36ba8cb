using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Adapters.Connections;

/// <summary>
/// The readiness every platform reports the same way: failed is unhealthy whatever else holds; then anything the
/// platform still waits for; a platform that takes its work over HTTP only is healthy without a connection; otherwise
/// it is healthy only while its connection is ready.
/// </summary>
public abstract class ConnectionHealthCheck(ConnectionStatus status) : IHealthCheck
{
    /// <summary>What the connection is called in an unhealthy detail, e.g. <c>gateway</c>.</summary>
    protected abstract string ConnectionName { get; }

    /// <summary>What the platform still waits for apart from its connection (e.g. command registration), or null.</summary>
    protected virtual string? WaitingFor => null;

    /// <summary>When the platform calls in over HTTP and needs no connection, the healthy detail; otherwise null.</summary>
    protected abstract string? WithoutConnection { get; }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        HealthCheckResult result = current.State switch
        {
            ConnectionState.Failed => HealthCheckResult.Unhealthy(current.Detail),
            _ when WaitingFor is { } waiting => HealthCheckResult.Unhealthy(waiting),
            _ when WithoutConnection is { } served => HealthCheckResult.Healthy(served),
            ConnectionState.Ready => HealthCheckResult.Healthy(current.Detail),
            _ => HealthCheckResult.Unhealthy($"{ConnectionName} {current.State.ToString().ToLowerInvariant()}: {current.Detail}"),
        };
        return Task.FromResult(result);
    }
}
