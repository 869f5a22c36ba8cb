using System.Text;
using Bot.Adapters;
using NSec.Cryptography;

namespace Bot.Discord.Interactions;

/// <summary>
/// Checks Discord's Ed25519 signature over the timestamp header followed by the raw body (NSec, which
/// wraps libsodium). Anything malformed is simply "not verified": the caller answers 401.
/// </summary>
public sealed class InteractionSignature : IRequestSignature
{
    private const int SignatureLength = 64;
    private const int MaxTimestampLength = 32;

    private readonly PublicKey _publicKey;

    public InteractionSignature(string publicKeyHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyHex);
        _publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
    }

    public string Platform => "Discord";

    public string TimestampHeader => "X-Signature-Timestamp";

    public string SignatureHeader => "X-Signature-Ed25519";

    public bool Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || timestamp.Length > MaxTimestampLength
            || signature is not { Length: SignatureLength * 2 } || !signature.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        Span<byte> signatureBytes = stackalloc byte[SignatureLength];
        Convert.FromHexString(signature, signatureBytes, out _, out _);
        var timestampLength = Encoding.UTF8.GetByteCount(timestamp);
        var message = new byte[timestampLength + body.Length];
        Encoding.UTF8.GetBytes(timestamp, message);
        body.CopyTo(message.AsSpan(timestampLength));
        return VerifyMessage(message, signatureBytes);
    }

    /// <summary>Plain Ed25519 verification of a whole message (RFC 8032).</summary>
    internal bool VerifyMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        SignatureAlgorithm.Ed25519.Verify(_publicKey, message, signature);
}
