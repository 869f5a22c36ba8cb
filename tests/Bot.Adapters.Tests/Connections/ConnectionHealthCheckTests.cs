using Bot.Adapters.Connections;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Adapters.Tests.Connections;

/// <summary>The one readiness shape both platforms report through.</summary>
public sealed class ConnectionHealthCheckTests
{
    [Theory]
    [InlineData(ConnectionState.Starting, null, null, HealthStatus.Unhealthy, "socket starting: connecting")]
    [InlineData(ConnectionState.Reconnecting, null, null, HealthStatus.Unhealthy, "socket reconnecting: connecting")]
    [InlineData(ConnectionState.Ready, null, null, HealthStatus.Healthy, "connecting")]
    [InlineData(ConnectionState.Failed, null, "over HTTP", HealthStatus.Unhealthy, "connecting")]
    [InlineData(ConnectionState.Failed, "registering", null, HealthStatus.Unhealthy, "connecting")]
    [InlineData(ConnectionState.Starting, null, "over HTTP", HealthStatus.Healthy, "over HTTP")]
    [InlineData(ConnectionState.Ready, "registering", null, HealthStatus.Unhealthy, "registering")]
    [InlineData(ConnectionState.Starting, "registering", "over HTTP", HealthStatus.Unhealthy, "registering")]
    public async Task CheckHealthAsync_FailedFirstThenWaitingThenWithoutConnectionThenReady(
        ConnectionState state, string? waitingFor, string? withoutConnection, HealthStatus expected, string detail)
    {
        var status = new ConnectionStatus();
        switch (state)
        {
            case ConnectionState.Starting:
                status.Starting("connecting");
                break;
            case ConnectionState.Ready:
                status.Ready("connecting");
                break;
            case ConnectionState.Reconnecting:
                status.Reconnecting("connecting");
                break;
            default:
                status.Failed("connecting");
                break;
        }

        var result = await new TestCheck(status, waitingFor, withoutConnection).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(expected, result.Status);
        Assert.Equal(detail, result.Description);
    }

    private sealed class TestCheck(ConnectionStatus status, string? waitingFor, string? withoutConnection) : ConnectionHealthCheck(status)
    {
        protected override string ConnectionName => "socket";

        protected override string? WaitingFor => waitingFor;

        protected override string? WithoutConnection => withoutConnection;
    }
}
