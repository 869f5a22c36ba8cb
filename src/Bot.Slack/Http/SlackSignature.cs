using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Slack.Http;

/// <summary>
/// Slack's <c>v0</c> request signature: HMAC-SHA256 with the signing secret over
/// <c>v0:{timestamp}:{raw body}</c>, compared in constant time, with the timestamp at most five
/// minutes from now either way (a replayed request is refused even when correctly signed).
/// </summary>
public sealed class SlackSignature(string signingSecret, TimeProvider time)
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private const string Version = "v0";
    private const int HexLength = 64;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret ?? throw new ArgumentNullException(nameof(signingSecret)));

    public bool Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > MaxClockSkew
            || signature is not { Length: HexLength + 3 } || !signature.StartsWith("v0=", StringComparison.Ordinal))
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
}
