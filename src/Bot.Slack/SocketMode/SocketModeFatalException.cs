namespace Bot.Slack.SocketMode;

/// <summary>
/// Socket Mode cannot work until an operator changes the configuration; the client stops for good
/// (<see cref="Bot.Adapters.Connections.ConnectionState.Failed"/>) with <see cref="Exception.Message"/> as the status detail, so the message must say the fix.
/// </summary>
public sealed class SocketModeFatalException : Exception
{
    public SocketModeFatalException()
        : this("Socket Mode cannot connect")
    {
    }

    public SocketModeFatalException(string message)
        : base(message)
    {
    }

    public SocketModeFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SocketModeFatalException(string message, string? slackError)
        : base(message) => SlackError = slackError;

    /// <summary>The Web API <c>error</c> code behind this, e.g. <c>invalid_auth</c>, when there is one.</summary>
    public string? SlackError { get; }

    /// <summary>
    /// The exception for an <c>apps.connections.open</c> error that retrying cannot fix, or null when the error is
    /// transient (rate limits, outages) and the client should retry.
    /// </summary>
    public static SocketModeFatalException? ForOpenError(string slackError) => slackError switch
    {
        "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired" => new(
            $"Slack rejected the app token ({slackError}): set Slack__AppToken to a current app-level token (xapp-…) "
            + "with the connections:write scope, from the app's Basic Information → App-Level Tokens",
            slackError),
        "not_allowed_token_type" => new(
            "Slack__AppToken is not an app-level token (not_allowed_token_type): it must start with xapp- "
            + "(Basic Information → App-Level Tokens, scope connections:write), not a bot token (xoxb-)",
            slackError),
        "missing_scope" => new(
            "The app token lacks the connections:write scope (missing_scope): create an app-level token with "
            + "connections:write under Basic Information → App-Level Tokens and set it as Slack__AppToken",
            slackError),
        _ => null,
    };
}
