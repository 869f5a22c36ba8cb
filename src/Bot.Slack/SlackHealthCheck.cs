using Bot.Adapters.Connections;
using Bot.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>Ready when Socket Mode is connected, or, over HTTP only, at once (Slack calls in).</summary>
internal sealed class SlackHealthCheck([FromKeyedServices(Platform.Slack)] ConnectionStatus status, IOptions<SlackOptions> options)
    : ConnectionHealthCheck(status)
{
    protected override string ConnectionName => "Socket Mode";

    protected override string? WithoutConnection => options.Value.SocketMode ? null : "HTTP requests at /slack/events";
}
