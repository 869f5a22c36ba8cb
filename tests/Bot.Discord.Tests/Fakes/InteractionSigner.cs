using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using NSec.Cryptography;

namespace Bot.Discord.Tests.Fakes;

/// <summary>
/// Plays Discord POSTing interactions to the bot's Interactions Endpoint URL: signs timestamp + raw body with
/// Ed25519 and sends the headers Discord sends. By default it uses the RFC 8032 §7.1 TEST 1 key, so
/// <see cref="PublicKeyHex"/> is <c>d75a9801…f707511a</c>.
/// </summary>
public sealed class InteractionSigner
{
    /// <summary>The 32-byte private seed of RFC 8032 §7.1 TEST 1, hex.</summary>
    public const string RfcTestSeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly byte[] _seed;

    /// <summary>A signer with the RFC 8032 §7.1 TEST 1 key.</summary>
    public InteractionSigner()
        : this(Convert.FromHexString(RfcTestSeedHex))
    {
    }

    /// <summary>A signer with another 32-byte Ed25519 seed (e.g. to play an impostor with the wrong key).</summary>
    public InteractionSigner(byte[] seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        _seed = (byte[])seed.Clone();
        using var key = ImportKey();
        PublicKeyHex = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public key the bot must be configured with, as the Developer Portal shows it (64 hex chars).</summary>
    public string PublicKeyHex { get; }

    /// <summary>The hex Ed25519 signature of <paramref name="timestamp"/> immediately followed by <paramref name="body"/> (UTF-8).</summary>
    public string Sign(string timestamp, string body)
    {
        using var key = ImportKey();
        return Convert.ToHexStringLower(Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp + body)));
    }

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="endpoint"/> as Discord does: Content-Type application/json,
    /// X-Signature-Ed25519 and X-Signature-Timestamp (<paramref name="timestamp"/>, default now in Unix seconds).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri endpoint, string body, string? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(body);
        timestamp ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", Sign(timestamp, body));
        request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)");
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Sends a registered interaction's payload to the bot, then feeds the bot's answer into the interaction's record
    /// (<see cref="RecordInlineResponse(FakeDiscord, string, int, string, string?)"/>). The returned response's body stays readable.
    /// </summary>
    public async Task<HttpResponseMessage> SendAndRecordAsync(FakeDiscord discord, HttpClient client, Uri endpoint, FakeInteraction interaction)
    {
        ArgumentNullException.ThrowIfNull(discord);
        ArgumentNullException.ThrowIfNull(interaction);
        var response = await SendAsync(client, endpoint, interaction.Payload.ToJsonString());
        var body = await response.Content.ReadAsStringAsync();
        RecordInlineResponse(discord, interaction.Id, (int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    /// <summary>
    /// Feeds the bot's HTTP answer to a signed interaction into its record with the callback's rules: 200 with
    /// <c>{type, data}</c> is the initial response ("inline"), 202 with no body means it answers by callback,
    /// anything else is a problem. Deadline and double-answer checks apply as for callbacks.
    /// </summary>
    public void RecordInlineResponse(FakeDiscord discord, string interactionId, int status, string responseBody) =>
        RecordInlineResponse(discord, interactionId, status, responseBody, "application/json");

    /// <summary>As <see cref="RecordInlineResponse(FakeDiscord, string, int, string)"/>, also checking that a 200 answer said Content-Type application/json.</summary>
    public void RecordInlineResponse(FakeDiscord discord, string interactionId, int status, string responseBody, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(discord);
        discord.RecordInlineResponse(interactionId, status, responseBody ?? "", contentType);
    }

    private Key ImportKey() => Key.Import(Ed25519, _seed, KeyBlobFormat.RawPrivateKey);
}
