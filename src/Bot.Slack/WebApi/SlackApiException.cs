using System.Net;

namespace Bot.Slack.WebApi;

/// <summary>
/// Slack refused a Web API call (<c>{"ok":false,"error":"…"}</c>) or answered with an HTTP error. The message names
/// the method and Slack's error code, plus what an operator can do about it; never a token or a <c>response_url</c>.
/// </summary>
public sealed class SlackApiException : Exception
{
    /// <summary>The method name used for posts to a <c>response_url</c>, whose address is a secret.</summary>
    public const string ResponseUrlMethod = "response_url";

    private const int MaxDetailLength = 1000;

    private static readonly HashSet<string> PermanentErrors = new(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "account_inactive",
        "token_revoked", "token_expired", "missing_scope", "not_allowed_token_type", "invalid_blocks",
        "invalid_blocks_format", "msg_too_long", "message_not_found", "cant_update_message", "edit_window_closed",
        "user_not_in_channel", "no_text", "invalid_arguments", "invalid_arg_name", "invalid_array_arg",
        "invalid_charset", "invalid_form_data", "invalid_post_type", "invalid_json", "json_not_object",
        "missing_post_type", "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large",
        "metadata_must_be_sent_from_app", "too_many_attachments", "no_permission", "team_access_not_granted",
        "ekm_access_denied", "restricted_action", "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel", "method_deprecated",
        "deprecated_endpoint", "unknown_method", "used_url", "expired_url", "no_such_url",
    };

    public SlackApiException()
        : this("Slack refused the request.")
    {
    }

    public SlackApiException(string message)
        : base(message)
    {
        Method = "";
        Error = "";
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = "";
        Error = "";
    }

    /// <param name="method">A Web API method such as <c>chat.postMessage</c>, or <see cref="ResponseUrlMethod"/>.</param>
    /// <param name="error">Slack's error code, e.g. <c>not_in_channel</c>; <c>http_404</c> when only a status came back.</param>
    /// <param name="statusCode">The HTTP status; 200 for an <c>ok:false</c> answer.</param>
    /// <param name="neededScope">Slack's <c>needed</c> field on <c>missing_scope</c>.</param>
    /// <param name="details">Slack's <c>response_metadata.messages</c>, e.g. which block broke which rule.</param>
    public SlackApiException(string method, string error, HttpStatusCode statusCode = HttpStatusCode.OK, string? neededScope = null, string? details = null)
        : base(Describe(method, error, statusCode, FixFor(method, error, neededScope), details))
    {
        Method = method;
        Error = error;
        StatusCode = statusCode;
        Fix = FixFor(method, error, neededScope);
        Details = details;
    }

    /// <summary>The Web API method that failed, or <see cref="ResponseUrlMethod"/>.</summary>
    public string Method { get; }

    /// <summary>Slack's error code, e.g. <c>channel_not_found</c>.</summary>
    public string Error { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>What an operator should do, for the errors a configuration change fixes; null otherwise.</summary>
    public string? Fix { get; }

    /// <summary>Slack's explanation beyond the code (<c>response_metadata.messages</c>), when it sent one.</summary>
    public string? Details { get; }

    /// <summary>Sending the same request again cannot succeed: the code names a fixed condition, or the status is a 4xx other than 429.</summary>
    public bool IsPermanent =>
        PermanentErrors.Contains(Error)
        || ((int)StatusCode is >= 400 and < 500 && StatusCode != HttpStatusCode.TooManyRequests);

    /// <summary>The token is wrong, revoked or of the wrong kind: nothing works until an operator replaces it.</summary>
    public bool IsAuthFailure => Error is "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired" or "not_allowed_token_type";

    public bool IsRateLimited => Error is "ratelimited" or "rate_limited" || StatusCode == HttpStatusCode.TooManyRequests;

    internal static string? FixFor(string method, string error, string? neededScope)
    {
        var tokenSetting = method == "apps.connections.open" ? "Slack__AppToken" : "Slack__BotToken";
        return error switch
        {
            "not_in_channel" => "invite the bot to the channel: /invite @tutor",
            "channel_not_found" => "check the channel id; for a private channel, invite the bot first: /invite @tutor",
            "is_archived" => "the channel is archived: unarchive it or use another channel",
            "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired" =>
                $"check {tokenSetting}: Slack says {error}",
            "not_allowed_token_type" => method == "apps.connections.open"
                ? "Slack__AppToken must be an app-level token (xapp-) with the connections:write scope"
                : "Slack__BotToken must be a bot token (xoxb-)",
            "missing_scope" => method == "apps.connections.open"
                ? $"give the app-level token the {neededScope ?? "connections:write"} scope"
                : $"add the {neededScope ?? ScopeFor(method)} scope and reinstall the app",
            "user_not_in_channel" => "the user is not in that channel, so an ephemeral message cannot reach them there",
            "msg_too_long" => "shorten the message: Slack recommends at most 4,000 characters of text",
            "no_text" => "send text, or blocks together with a text fallback",
            "invalid_blocks" or "invalid_blocks_format" => "the blocks break a Block Kit rule; see Details",
            "message_not_found" => "the message was deleted, or its channel and ts do not match",
            "cant_update_message" or "edit_window_closed" => "the bot can only edit its own messages, within the workspace's edit window",
            "used_url" or "expired_url" => "a response_url takes 5 posts within 30 minutes; post with chat.postMessage instead",
            _ => null,
        };
    }

    private static string ScopeFor(string method) => method switch
    {
        "conversations.history" => "channels:history (groups:history for private channels)",
        _ => "chat:write",
    };

    private static string Describe(string method, string error, HttpStatusCode statusCode, string? fix, string? details)
    {
        var text = statusCode == HttpStatusCode.OK
            ? $"Slack answered {method} with {error}"
            : $"Slack answered {method} with HTTP {(int)statusCode} ({error})";
        if (fix is not null)
        {
            text += ": " + fix;
        }

        if (!string.IsNullOrEmpty(details))
        {
            text += " [" + (details.Length > MaxDetailLength ? details[..MaxDetailLength] + "…" : details) + "]";
        }

        return text;
    }
}
