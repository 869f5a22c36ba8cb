using System.Security.Cryptography;
using System.Text;
using Bot.Adapters;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Http;

/// <summary>
/// Slack's <c>v0</c> request signature: HMAC-SHA256 with the signing secret over
/// <c>v0:{timestamp}:{raw body}</c>, compared in constant time. <see cref="SignedWebhook"/> refuses
/// a timestamp more than five minutes from now, so a replayed request fails even when correctly signed.
/// </summary>
public sealed class SlackSignature(string signingSecret) : IRequestSignature
{
    private const string Version = "v0";
    private const int HexLength = 64;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret ?? throw new ArgumentNullException(nameof(signingSecret)));

    public string Platform => "Slack";

    public string TimestampHeader => "X-Slack-Request-Timestamp";

    public string SignatureHeader => "X-Slack-Signature";

    public bool Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || signature is not { Length: HexLength + 3 } || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, message, expected);

        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        return Convert.FromHexString(signature.AsSpan(3), given, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == given.Length
            && CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Slack's certificate check is the one request it does not sign; it needs only a 200.</summary>
    public bool IsUnsignedProbe(HttpRequest request, ReadOnlySpan<byte> body) =>
        !SlackEventsEndpoint.IsJson(request)
        && SlackEventsEndpoint.ReadForm(body).GetValueOrDefault("ssl_check") == "1";
}
