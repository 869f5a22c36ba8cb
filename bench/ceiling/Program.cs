using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

// The ceiling of bench/discord and bench/slack: the least a server can do for a platform's webhook and still
// be correct. It reads the body under the same 64 KiB cap as the bot, checks the signature and the 5-minute
// window as the platform requires (401 otherwise), and answers with canned bytes: the bot's own answer to the
// benchmark request, captured by run.sh, so that the bytes on the wire match. It parses nothing, renders
// nothing, logs and counts nothing per request. Deliberately independent of the bot's projects: it is what
// the bot is measured against, so it must not share the bot's code.
//
//   dotnet ceiling.dll --urls http://127.0.0.1:PORT
//     [--DiscordPublicKey HEX --DiscordReply FILE --DiscordReplyType TYPE]     POST /discord/interactions
//     [--SlackSigningSecret SECRET --SlackReply FILE --SlackReplyType TYPE]    POST /slack/events
var builder = WebApplication.CreateSlimBuilder(args);
// ASP.NET Core's hosting diagnostics log every request at Information; the bot keeps Microsoft.* at Warning.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
var configuration = app.Configuration;

if (configuration["DiscordPublicKey"] is { } publicKeyHex)
{
    var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
    var reply = CannedReply.Load(configuration, "Discord");
    app.MapPost("/discord/interactions", (RequestDelegate)(context => Webhook.DiscordAsync(context, publicKey, reply)));
}

if (configuration["SlackSigningSecret"] is { } signingSecret)
{
    var key = Encoding.UTF8.GetBytes(signingSecret);
    var reply = CannedReply.Load(configuration, "Slack");
    app.MapPost("/slack/events", (RequestDelegate)(context => Webhook.SlackAsync(context, key, reply)));
}

app.MapGet("/readyz", () => "ok");
app.Run();

/// <summary>The bytes and content type every signed request is answered with.</summary>
internal sealed record CannedReply(byte[] Body, string ContentType)
{
    public static CannedReply Load(IConfiguration configuration, string platform) => new(
        File.ReadAllBytes(configuration[platform + "Reply"] ?? throw new InvalidOperationException($"--{platform}Reply FILE is required")),
        configuration[platform + "ReplyType"] ?? "application/json");
}

internal static class Webhook
{
    /// <summary>The bot's cap (SignedWebhook.MaxBodyBytes): platforms' requests are a few kilobytes.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Slack documents five minutes; the bot holds Discord to the same window.</summary>
    private const long MaxClockSkewSeconds = 5 * 60;

    private const int Ed25519SignatureBytes = 64;

    /// <summary>Discord: Ed25519 over the timestamp header followed by the raw body.</summary>
    public static async Task DiscordAsync(HttpContext context, PublicKey publicKey, CannedReply reply)
    {
        var headers = context.Request.Headers;
        var timestamp = headers["X-Signature-Timestamp"].ToString();
        var signatureHex = headers["X-Signature-Ed25519"].ToString();
        if (!IsFresh(timestamp) || signatureHex.Length != Ed25519SignatureBytes * 2)
        {
            await RefuseAsync(context);
            return;
        }

        // A fresh timestamp is all ASCII digits, so its UTF-8 form is one byte per character.
        if (await ReadBodyAsync(context, headroom: timestamp.Length) is not (var message, var length))
        {
            return;
        }

        try
        {
            Encoding.ASCII.GetBytes(timestamp, message);
            Span<byte> signature = stackalloc byte[Ed25519SignatureBytes];
            if (Convert.FromHexString(signatureHex, signature, out _, out var written) != OperationStatus.Done || written != signature.Length
                || !SignatureAlgorithm.Ed25519.Verify(publicKey, message.AsSpan(0, length), signature))
            {
                await RefuseAsync(context);
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }

        await AnswerAsync(context, reply);
    }

    /// <summary>Slack: <c>v0=</c> and the hex of HMAC-SHA256 with the signing secret over <c>v0:{timestamp}:{raw body}</c>.</summary>
    public static async Task SlackAsync(HttpContext context, byte[] key, CannedReply reply)
    {
        var headers = context.Request.Headers;
        var timestamp = headers["X-Slack-Request-Timestamp"].ToString();
        var signature = headers["X-Slack-Signature"].ToString();
        if (!IsFresh(timestamp) || signature.Length != 3 + (HMACSHA256.HashSizeInBytes * 2) || !signature.StartsWith("v0=", StringComparison.Ordinal))
        {
            await RefuseAsync(context);
            return;
        }

        var prefix = "v0:".Length + timestamp.Length + 1;
        if (await ReadBodyAsync(context, headroom: prefix) is not (var message, var length))
        {
            return;
        }

        try
        {
            var basestring = message.AsSpan(0, prefix);
            "v0:"u8.CopyTo(basestring);
            Encoding.ASCII.GetBytes(timestamp, basestring[3..]);
            basestring[^1] = (byte)':';
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, message.AsSpan(0, length), expected);
            Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
            if (Convert.FromHexString(signature.AsSpan(3), given, out _, out var written) != OperationStatus.Done || written != given.Length
                || !CryptographicOperations.FixedTimeEquals(expected, given))
            {
                await RefuseAsync(context);
                return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }

        await AnswerAsync(context, reply);
    }

    private static bool IsFresh(string timestamp) =>
        timestamp.Length is > 0 and < 20
        && long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() - seconds) <= MaxClockSkewSeconds;

    /// <summary>
    /// The whole body in a pooled array after <paramref name="headroom"/> free bytes (for the signed prefix, so the
    /// signed message is one span without a second copy), and the length used; null when it is over the cap, and
    /// then answered 413.
    /// </summary>
    private static async Task<(byte[] Message, int Length)?> ReadBodyAsync(HttpContext context, int headroom)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            if (buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(buffer.End);
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return null;
            }

            if (read.IsCompleted)
            {
                var length = headroom + (int)buffer.Length;
                var message = ArrayPool<byte>.Shared.Rent(length);
                buffer.CopyTo(message.AsSpan(headroom));
                reader.AdvanceTo(buffer.End);
                return (message, length);
            }

            // Nothing consumed, everything seen: wait for the rest of the body.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }

    private static async Task AnswerAsync(HttpContext context, CannedReply reply)
    {
        var response = context.Response;
        response.ContentType = reply.ContentType;
        response.ContentLength = reply.Body.Length;
        await response.Body.WriteAsync(reply.Body, context.RequestAborted);
    }
}
