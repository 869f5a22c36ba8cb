using System.Net;
using System.Text.Json;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord refused a REST call. The message names the route template (never a concrete path, which can
/// hold an interaction token), the HTTP status, and Discord's JSON error code and text.
/// </summary>
public sealed class DiscordApiException : Exception
{
    public const int UnknownChannelCode = 10003;
    public const int UnknownInteractionCode = 10062;
    public const int AlreadyAcknowledgedCode = 40060;
    public const int MissingAccessCode = 50001;
    public const int MissingPermissionsCode = 50013;

    private const int MaxErrorDetailLength = 1000;

    public DiscordApiException()
        : this("Discord refused the request.")
    {
    }

    public DiscordApiException(string message)
        : base(message)
    {
        Route = "";
    }

    public DiscordApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Route = "";
    }

    /// <param name="route">A template such as <c>POST /webhooks/{application_id}/{token}</c>, never a concrete path.</param>
    public DiscordApiException(HttpStatusCode statusCode, int? code, string? discordMessage, string route, string? errorDetail = null)
        : base(Describe(statusCode, code, discordMessage, route, errorDetail))
    {
        StatusCode = statusCode;
        Code = code;
        DiscordMessage = discordMessage;
        Route = route;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Discord's JSON error code (e.g. 50013), when the body carried one.</summary>
    public int? Code { get; }

    /// <summary>Discord's own error text, e.g. "Missing Permissions".</summary>
    public string? DiscordMessage { get; }

    /// <summary>The route template that failed, e.g. <c>POST /channels/{channel_id}/messages</c>.</summary>
    public string Route { get; }

    /// <summary>Sending the same request again cannot succeed: any 4xx except 429.</summary>
    public bool IsPermanent => (int)StatusCode is >= 400 and < 500 && StatusCode != HttpStatusCode.TooManyRequests;

    public bool IsUnknownChannel => Code == UnknownChannelCode;

    public bool IsMissingAccess => Code == MissingAccessCode;

    public bool IsMissingPermissions => Code == MissingPermissionsCode;

    /// <summary>The interaction token expired or the interaction was never seen (10062).</summary>
    public bool IsUnknownInteraction => Code == UnknownInteractionCode;

    /// <summary>Someone already sent the initial response to this interaction (40060).</summary>
    public bool IsAlreadyAcknowledged => Code == AlreadyAcknowledgedCode;

    internal static async Task<DiscordApiException> FromResponseAsync(DiscordRoute route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        int? code = null;
        string? message = null;
        string? errorDetail = null;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt32(out var parsed))
                {
                    code = parsed;
                }

                if (root.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String)
                {
                    message = messageElement.GetString();
                }

                if (root.TryGetProperty("errors", out var errors))
                {
                    errorDetail = errors.GetRawText();
                }
            }
        }
        catch (JsonException)
        {
            // Cloudflare and proxies answer with HTML; the status alone has to do.
        }

        return new DiscordApiException(response.StatusCode, code, message, route.Template, errorDetail);
    }

    private static string Describe(HttpStatusCode statusCode, int? code, string? discordMessage, string route, string? errorDetail)
    {
        var text = $"Discord answered {(int)statusCode} {statusCode} to {route}";
        if (code is not null || discordMessage is not null)
        {
            text += $": {discordMessage ?? "(no message)"} (code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"})";
        }

        if (!string.IsNullOrEmpty(errorDetail))
        {
            text += " " + (errorDetail.Length > MaxErrorDetailLength ? errorDetail[..MaxErrorDetailLength] + "…" : errorDetail);
        }

        return text;
    }
}
