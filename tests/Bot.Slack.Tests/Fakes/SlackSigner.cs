using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// Plays Slack POSTing signed requests to the bot's HTTP endpoint: <c>X-Slack-Request-Timestamp</c> (Unix seconds)
/// and <c>X-Slack-Signature: v0=&lt;hex HMAC-SHA256(secret, "v0:{ts}:{body}")&gt;</c> over the exact body sent.
/// </summary>
public sealed class SlackSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Signs with <paramref name="signingSecret"/>; timestamps default to the system clock.</summary>
    public SlackSigner(string signingSecret = FakeSlack.SigningSecret)
        : this(signingSecret, TimeProvider.System)
    {
    }

    /// <summary>Signs with <paramref name="signingSecret"/>; default timestamps come from <paramref name="timeProvider"/>.</summary>
    public SlackSigner(string signingSecret, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _key = Encoding.UTF8.GetBytes(signingSecret);
        _time = timeProvider;
    }

    /// <summary>The <c>X-Slack-Signature</c> value: <c>v0=</c> + lowercase hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>.</summary>
    public string Sign(string timestamp, string body)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>The signature of a body given as raw bytes, which need not be valid UTF-8.</summary>
    public string Sign(string timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        byte[] message = [.. Encoding.UTF8.GetBytes($"v0:{timestamp}:"), .. body];
        var mac = HMACSHA256.HashData(_key, message);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>The current Unix time in seconds, as Slack puts it in <c>X-Slack-Request-Timestamp</c>.</summary>
    public string Now() => _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>POSTs <paramref name="form"/> form-encoded and signed (slash commands).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(HttpClient client, Uri endpoint, IReadOnlyDictionary<string, string> form, string? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        using var encoded = new FormUrlEncodedContent(form);
        var body = await encoded.ReadAsStringAsync();
        return await PostAsync(client, endpoint, body, "application/x-www-form-urlencoded", timestamp);
    }

    /// <summary>POSTs an interactivity payload as Slack does: form-encoded with one field, <c>payload=&lt;json&gt;</c>, signed.</summary>
    public Task<HttpResponseMessage> PostInteractionAsync(HttpClient client, Uri endpoint, JsonObject payload, string? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return PostFormAsync(client, endpoint, new Dictionary<string, string> { ["payload"] = payload.ToJsonString() }, timestamp);
    }

    /// <summary>POSTs an Events API body as JSON, signed.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(HttpClient client, Uri endpoint, JsonObject body, string? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return PostAsync(client, endpoint, body.ToJsonString(), "application/json", timestamp);
    }

    /// <summary>POSTs raw bytes, signed, exactly as given (invalid UTF-8 included).</summary>
    public async Task<HttpResponseMessage> PostBytesAsync(HttpClient client, Uri endpoint, byte[] body, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(client);
        var timestamp = Now();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Sign(timestamp, body));
        return await client.SendAsync(request);
    }

    /// <summary>POSTs <paramref name="body"/> exactly as given with the signature headers (for tampering tests, pass a <paramref name="signature"/>).</summary>
    public async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri endpoint, string body, string mediaType, string? timestamp = null, string? signature = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        timestamp ??= Now();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature ?? Sign(timestamp, body));
        request.Headers.UserAgent.ParseAdd("Slackbot 1.0 (+https://api.slack.com/robots)");
        return await client.SendAsync(request);
    }
}
