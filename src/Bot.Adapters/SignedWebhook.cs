using System.Buffers;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Bot.Adapters;

/// <summary>How one platform signs the requests it sends to the bot: which headers, which bytes, which key.</summary>
public interface IRequestSignature
{
    /// <summary>The platform's name, for the log.</summary>
    string Platform { get; }

    /// <summary>The header holding the Unix time, in seconds, at which the request was signed.</summary>
    string TimestampHeader { get; }

    /// <summary>The header holding the signature.</summary>
    string SignatureHeader { get; }

    /// <summary>Whether <paramref name="signature"/> signs exactly this timestamp and body with the platform's key.</summary>
    bool Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body);

    /// <summary>
    /// Whether an unsigned request is one the platform documents sending without a signature and
    /// expecting a bare 200 for (Slack's certificate check). Asked only after verification failed.
    /// </summary>
    bool IsUnsignedProbe(HttpRequest request, ReadOnlySpan<byte> body) => false;
}

/// <summary>
/// The front of every webhook a platform calls: the body read within a size cap, then the signature
/// over the raw bytes and the timestamp's freshness checked before anything is parsed. Whatever fails
/// is answered here (413, 401), so a platform's endpoint sees only bodies its platform signed.
/// </summary>
public sealed partial class SignedWebhook(TimeProvider time, ILogger<SignedWebhook> logger)
{
    /// <summary>Platforms' requests are a few kilobytes; this refuses anything that could only be abuse.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// A correctly signed request older (or newer) than this is a replay. Slack documents five minutes;
    /// Discord documents no window but waits only 3 s for an answer, so nothing legitimate is this old.
    /// </summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The body of a request the platform signed, or null when the request has been answered here: 413
    /// for a body over <see cref="MaxBodyBytes"/>, 401 for a bad, stale or missing signature, 200 for a
    /// documented unsigned probe.
    /// </summary>
    public async Task<byte[]?> ReadSignedBodyAsync(HttpContext context, IRequestSignature signature)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signature);
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return null;
        }

        var headers = context.Request.Headers;
        var timestamp = headers[signature.TimestampHeader].ToString();
        if (IsFresh(timestamp) && signature.Verify(timestamp, headers[signature.SignatureHeader].ToString(), body))
        {
            return body;
        }

        if (signature.IsUnsignedProbe(context.Request, body))
        {
            return null;
        }

        LogRejected(signature.Platform, context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await context.Response.WriteAsync("invalid request signature", context.RequestAborted);
        return null;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        // Kestrel's own cap counts bytes on the wire, and chunked transfer adds a size line and a line
        // break to every chunk: a body just under the cap may arrive in many more bytes, so the cap on
        // what the body decodes to is the one applied below.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = (long)MaxBodyBytes * 8;
        }

        // Read from the request's pipe, which holds what has arrived, so no buffer is allocated and zeroed
        // per request (a 16 KiB one was 4% of the CPU under load for bodies of a few hundred bytes).
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(context.RequestAborted);
                var buffered = read.Buffer;
                if (buffered.Length > MaxBodyBytes)
                {
                    reader.AdvanceTo(buffered.Start, buffered.End);
                    return null;
                }

                if (read.IsCompleted)
                {
                    var body = buffered.ToArray();
                    reader.AdvanceTo(buffered.End);
                    return body;
                }

                reader.AdvanceTo(buffered.Start, buffered.End);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }

    private bool IsFresh(string timestamp) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds()
        && (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= MaxClockSkew;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Platform} request from {Remote}: bad, stale or missing signature")]
    private partial void LogRejected(string platform, IPAddress? remote);
}
