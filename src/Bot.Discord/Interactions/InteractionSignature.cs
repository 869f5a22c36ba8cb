using System.Text;
using NSec.Cryptography;

namespace Bot.Discord.Interactions;

/// <summary>
/// Checks Discord's Ed25519 signature over the timestamp header followed by the raw body (NSec, which
/// wraps libsodium). Anything malformed is simply "not verified": the caller answers 401.
/// </summary>
public sealed class InteractionSignature
{
    private const int SignatureLength = 64;
    private const int MaxTimestampLength = 32;

    private readonly PublicKey _publicKey;

    public InteractionSignature(string publicKeyHex)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicKeyHex);
        _publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
    }

    public bool Verify(string? timestamp, string? signatureHex, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(timestamp) || timestamp.Length > MaxTimestampLength
            || signatureHex is not { Length: SignatureLength * 2 } || !signatureHex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[SignatureLength];
        Convert.FromHexString(signatureHex, signature, out _, out _);
        var timestampLength = Encoding.UTF8.GetByteCount(timestamp);
        var message = new byte[timestampLength + body.Length];
        Encoding.UTF8.GetBytes(timestamp, message);
        body.CopyTo(message.AsSpan(timestampLength));
        return VerifyMessage(message, signature);
    }

    /// <summary>Plain Ed25519 verification of a whole message (RFC 8032).</summary>
    internal bool VerifyMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        SignatureAlgorithm.Ed25519.Verify(_publicKey, message, signature);
}
