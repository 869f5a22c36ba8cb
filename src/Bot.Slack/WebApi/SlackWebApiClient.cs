using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.WebApi;

/// <summary>
/// Typed client for the Slack Web API calls the bot makes. Register it with
/// <see cref="SlackWebApiServiceCollectionExtensions.AddSlackWebApi"/>, which adds per-method rate limiting and
/// retries. Message bodies are serialized with <see cref="SlackJson.Options"/>; refusals throw
/// <see cref="SlackApiException"/>.
/// </summary>
public sealed partial class SlackWebApiClient
{
    public static string UserAgent { get; } = "TutorBot/"
        + (typeof(SlackWebApiClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0")
        + " (+https://github.com/tutor-bot/tutor-bot)";

    /// <summary>Slack's own maximum page size for <c>conversations.history</c> and <c>conversations.replies</c>.</summary>
    private const int MaxHistoryLimit = 999;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly SlackOptions _options;
    private readonly ILogger<SlackWebApiClient> _logger;

    public SlackWebApiClient(HttpClient http, IOptions<SlackOptions> options, ILogger<SlackWebApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _http = http;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Checks the bot token and says whose it is, with the scopes it was granted (<c>auth.test</c>).</summary>
    public async Task<SlackIdentity> AuthTestAsync(CancellationToken cancellationToken)
    {
        const string method = "auth.test";
        IReadOnlyList<string>? grantedScopes = null;
        using var document = await CallAsync(method, BotToken(), content: null, cancellationToken,
            response => grantedScopes = response.Headers.TryGetValues("X-OAuth-Scopes", out var values)
                ? [.. values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]
                : null).ConfigureAwait(false);
        var root = document.RootElement;
        return new SlackIdentity(
            Required(root, "team_id", method),
            Required(root, "user_id", method),
            StringOrNull(root, "bot_id"))
        {
            TeamName = StringOrNull(root, "team"),
            UserName = StringOrNull(root, "user"),
            GrantedScopes = grantedScopes,
        };
    }

    /// <summary>
    /// Posts a message (<c>chat.postMessage</c>). A 5xx is retried, so a post whose answer was lost can land twice;
    /// give <paramref name="message"/> metadata if a duplicate must be found again.
    /// </summary>
    public async Task<SlackPosted> PostMessageAsync(object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        const string method = "chat.postMessage";
        using var document = await CallAsync(method, BotToken(), Json(message), cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        return new SlackPosted(Required(root, "channel", method), Required(root, "ts", method));
    }

    /// <summary>Edits a message the bot posted (<c>chat.update</c>); <paramref name="message"/> carries <c>channel</c> and <c>ts</c>.</summary>
    public async Task UpdateMessageAsync(object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = await CallAsync("chat.update", BotToken(), Json(message), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Shows a message to one user in a channel (<c>chat.postEphemeral</c>); the user must be a member.</summary>
    public async Task PostEphemeralAsync(object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = await CallAsync("chat.postEphemeral", BotToken(), Json(message), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The newest messages of a channel, newest first (<c>conversations.history</c>). Sent form-encoded: read
    /// methods ignore a JSON body's arguments.
    /// </summary>
    /// <param name="limit">1 to 999; clamped.</param>
    /// <param name="includeAllMetadata">Slack returns each message's <c>metadata</c> only when asked.</param>
    public Task<IReadOnlyList<SlackHistoryMessage>> HistoryAsync(string channel, int limit, bool includeAllMetadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        return ReadMessagesAsync("conversations.history", channel, threadTs: null, limit, includeAllMetadata, cancellationToken);
    }

    /// <summary>
    /// A thread, oldest first, starting with its parent message (<c>conversations.replies</c>). Sent form-encoded,
    /// like <see cref="HistoryAsync"/>.
    /// </summary>
    /// <param name="threadTs">The parent message's ts.</param>
    /// <param name="limit">1 to 999, counting the parent; clamped.</param>
    /// <param name="includeAllMetadata">Slack returns each message's <c>metadata</c> only when asked.</param>
    public Task<IReadOnlyList<SlackHistoryMessage>> RepliesAsync(string channel, string threadTs, int limit, bool includeAllMetadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentException.ThrowIfNullOrWhiteSpace(threadTs);
        return ReadMessagesAsync("conversations.replies", channel, threadTs, limit, includeAllMetadata, cancellationToken);
    }

    /// <summary>
    /// Posts a delayed reply to a slash command's or button's <c>response_url</c> (at most 5 times within 30 minutes).
    /// The address is the credential, so no token is sent; it is a secret and appears in no log or exception.
    /// </summary>
    public async Task PostToResponseUrlAsync(Uri responseUrl, object body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        ArgumentNullException.ThrowIfNull(body);
        if (!responseUrl.IsAbsoluteUri || (responseUrl.Scheme != Uri.UriSchemeHttps && responseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("A response_url must be an absolute http(s) address.", nameof(responseUrl));
        }

        const string method = SlackApiException.ResponseUrlMethod;
        using var request = NewRequest(method, responseUrl, token: null, Json(body));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var document = TryParse(bytes);
        if (document is { RootElement.ValueKind: JsonValueKind.Object } && response.StatusCode == HttpStatusCode.OK)
        {
            // Answers here are JSON or the plain text "ok"; only an explicit ok:false is a refusal.
            Inspect(method, response.StatusCode, document.RootElement, okRequired: false);
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw FromStatus(method, response.StatusCode, document, bytes);
        }
    }

    /// <summary>
    /// Asks for a Socket Mode WebSocket address (<c>apps.connections.open</c>, with the app-level token). The address
    /// is temporary and good for one connection; it is not logged.
    /// </summary>
    public async Task<Uri> OpenSocketConnectionAsync(CancellationToken cancellationToken)
    {
        const string method = "apps.connections.open";
        using var document = await CallAsync(method, AppToken(), content: null, cancellationToken).ConfigureAwait(false);
        var url = Required(document.RootElement, "url", method);
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == "wss" || uri.Scheme == "ws")
            ? uri
            : throw new InvalidDataException($"Slack answered {method} with a url that is not a WebSocket address.");
    }

    private async Task<IReadOnlyList<SlackHistoryMessage>> ReadMessagesAsync(
        string method, string channel, string? threadTs, int limit, bool includeAllMetadata, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("channel", channel) };
        if (threadTs is not null)
        {
            fields.Add(new("ts", threadTs));
        }

        fields.Add(new("limit", Math.Clamp(limit, 1, MaxHistoryLimit).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (includeAllMetadata)
        {
            fields.Add(new("include_all_metadata", "true"));
        }

        using var document = await CallAsync(method, BotToken(), new FormUrlEncodedContent(fields), cancellationToken).ConfigureAwait(false);
        if (!document.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Slack answered {method} without a messages array.");
        }

        return [.. messages.EnumerateArray().Select(ToHistoryMessage)];
    }

    private async Task<JsonDocument> CallAsync(
        string method, string token, HttpContent? content, CancellationToken cancellationToken, Action<HttpResponseMessage>? readHeaders = null)
    {
        using var request = NewRequest(method, new Uri(method, UriKind.Relative), token, content);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        readHeaders?.Invoke(response);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var document = TryParse(bytes);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw FromStatus(method, response.StatusCode, document, bytes);
            }

            if (document is not { RootElement.ValueKind: JsonValueKind.Object })
            {
                throw new InvalidDataException($"Slack answered {method} with something other than a JSON object.");
            }

            Inspect(method, response.StatusCode, document.RootElement, okRequired: true);
            return document;
        }
        catch
        {
            document?.Dispose();
            throw;
        }
    }

    private static HttpRequestMessage NewRequest(string method, Uri uri, string? token, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Options.Set(SlackMethod.OptionsKey, method);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>Bytes rather than a stream, so the retry handlers can send the same content again.</summary>
    private static ByteArrayContent Json(object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), SlackJson.Options));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>Logs Slack's warnings, then throws if the answer says <c>ok:false</c>.</summary>
    private void Inspect(string method, HttpStatusCode status, JsonElement root, bool okRequired)
    {
        LogWarnings(method, root);
        var ok = root.TryGetProperty("ok", out var okElement) ? okElement.ValueKind : JsonValueKind.Undefined;
        if (ok == JsonValueKind.True || (!okRequired && ok != JsonValueKind.False))
        {
            return;
        }

        throw new SlackApiException(method, StringOrNull(root, "error") ?? "unknown_error", status, StringOrNull(root, "needed"), Messages(root));
    }

    private void LogWarnings(string method, JsonElement root)
    {
        var warnings = new List<string>();
        if (StringOrNull(root, "warning") is { } warning)
        {
            warnings.AddRange(warning.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (root.TryGetProperty("response_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty("warnings", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            warnings.AddRange(list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!));
        }

        foreach (var name in warnings.Distinct(StringComparer.Ordinal))
        {
            // Only codes such as missing_charset are logged; anything else is not ours to vouch for.
            LogSlackWarning(method, ErrorCodePattern().IsMatch(name) ? name : "(unrecognised warning)");
        }
    }

    private static SlackApiException FromStatus(string method, HttpStatusCode status, JsonDocument? document, byte[] body)
    {
        string? error = null;
        if (document is { RootElement.ValueKind: JsonValueKind.Object })
        {
            error = StringOrNull(document.RootElement, "error");
        }
        else if (body.Length is > 0 and < 100)
        {
            // Webhook-style endpoints answer with a bare code such as used_url; an HTML error page is not one.
            var text = System.Text.Encoding.UTF8.GetString(body).Trim();
            error = ErrorCodePattern().IsMatch(text) ? text : null;
        }

        if (error is not null && !ErrorCodePattern().IsMatch(error))
        {
            error = null;
        }

        return new SlackApiException(method,
            error ?? (status == HttpStatusCode.TooManyRequests ? "ratelimited" : "http_" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            status);
    }

    private static string? Messages(JsonElement root) =>
        root.TryGetProperty("response_metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
            ? string.Join("; ", messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()))
            : null;

    private static JsonDocument? TryParse(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static SlackHistoryMessage ToHistoryMessage(JsonElement element) => new(
        StringOrNull(element, "ts") ?? "",
        StringOrNull(element, "text") ?? "",
        StringOrNull(element, "bot_id"),
        element.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? metadata.Clone() : null);

    private static string Required(JsonElement root, string name, string method) =>
        StringOrNull(root, name) ?? throw new InvalidDataException($"Slack answered {method} without {name}.");

    private static string? StringOrNull(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private string BotToken() => string.IsNullOrWhiteSpace(_options.BotToken)
        ? throw new InvalidOperationException("Slack__BotToken is not set.")
        : _options.BotToken;

    private string AppToken() => string.IsNullOrWhiteSpace(_options.AppToken)
        ? throw new InvalidOperationException("Slack__AppToken is not set: Socket Mode needs an app-level token (xapp-).")
        : _options.AppToken;

    /// <summary>Slack's error and warning codes: lowercase words joined by underscores.</summary>
    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex ErrorCodePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack warned about {Method}: {Warning}")]
    private partial void LogSlackWarning(string method, string warning);
}
