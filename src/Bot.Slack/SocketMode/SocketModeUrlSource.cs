using Bot.Slack.WebApi;

namespace Bot.Slack.SocketMode;

/// <summary><c>apps.connections.open</c> through the Web API client; token errors become fatal, the rest are retried.</summary>
internal sealed class SocketModeUrlSource(SlackWebApiClient api) : ISocketModeUrlSource
{
    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await api.OpenSocketConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException exception) when (SocketModeFatalException.ForOpenError(exception.Error) is { } fatal)
        {
            throw new SocketModeFatalException(fatal.Message, exception);
        }
    }
}
