using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>Ready when Socket Mode is connected, or, over HTTP only, at once (Slack calls in).</summary>
internal sealed class SlackHealthCheck(SlackStatus status, IOptions<SlackOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        HealthCheckResult result = current.State switch
        {
            SlackState.Failed => HealthCheckResult.Unhealthy(current.Detail),
            _ when !options.Value.SocketMode => HealthCheckResult.Healthy("HTTP requests at /slack/events"),
            SlackState.Ready => HealthCheckResult.Healthy(current.Detail),
            _ => HealthCheckResult.Unhealthy($"Socket Mode {current.State.ToString().ToLowerInvariant()}: {current.Detail}"),
        };
        return Task.FromResult(result);
    }
}
