using System.Globalization;
using System.Text.Json;
using Bot.Adapters;
using Bot.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Interactions;

/// <summary>
/// <c>POST /discord/interactions</c>: verifies Discord's signature over the raw body before anything
/// else, answers PING, and answers everything else inline (HTTP 200 with the interaction response),
/// leaving edits and follow-ups to run on after the HTTP exchange.
/// </summary>
public sealed partial class InteractionEndpoint(
    IOptions<DiscordOptions> options,
    InteractionPipeline pipeline,
    InFlightWork inFlight,
    TimeProvider time,
    ILogger<InteractionEndpoint> logger)
{
    public const string Path = "/discord/interactions";

    /// <summary>Interactions are a few kilobytes; this refuses anything that could only be abuse.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// Discord does not document a freshness window; a signed request older than this is a replay, and
    /// Discord itself waits only 3 s for an answer, so nothing legitimate is this old.
    /// </summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private readonly InteractionSignature _signature = new(options.Value.PublicKey ?? throw new InvalidOperationException("Discord:PublicKey is required for HTTP interactions."));

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var timestamp = context.Request.Headers["X-Signature-Timestamp"].ToString();
        if (!IsFresh(timestamp) || !_signature.Verify(timestamp, context.Request.Headers["X-Signature-Ed25519"].ToString(), body))
        {
            var remote = context.Connection.RemoteIpAddress;
            LogRejected(remote);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("invalid request signature", context.RequestAborted);
            return;
        }

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize<Interaction>(body, DiscordJson.Options);
        }
        catch (JsonException)
        {
            interaction = null;
        }

        if (interaction is not { IsAnswerable: true })
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var responder = new InlineResponder();
        // The pipeline outlives this request (edits, follow-ups), so it must not stop when the HTTP exchange ends.
        var work = pipeline.HandleAsync(interaction, responder, CancellationToken.None);
        inFlight.Track(work);
        await Task.WhenAny(responder.Response, work);
        if (!responder.Response.IsCompleted)
        {
            // The pipeline always answers, even on failure; reaching here means it could not, so say so plainly.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        try
        {
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, await responder.Response, DiscordJson.Options, context.RequestAborted);
            await context.Response.CompleteAsync();
            responder.Delivered();
        }
        catch (Exception exception)
        {
            responder.Failed(exception);
            throw;
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = BoundedBody.WireAllowance(MaxBodyBytes);
        }

        try
        {
            return await BoundedBody.ReadAsync(context.Request.Body, MaxBodyBytes, context.RequestAborted);
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

    /// <summary>
    /// Hands the first response to the HTTP exchange and returns once it is written, so that edits and
    /// follow-ups never reach Discord before the response they belong to.
    /// </summary>
    private sealed class InlineResponder : IInitialResponder
    {
        private readonly TaskCompletionSource<InteractionResponse> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<InteractionResponse> Response => _response.Task;

        public Task RespondAsync(InteractionResponse response, CancellationToken cancellationToken) =>
            _response.TrySetResult(response)
                ? _delivered.Task.WaitAsync(cancellationToken)
                : throw new InvalidOperationException("An interaction has exactly one initial response.");

        public void Delivered() => _delivered.TrySetResult();

        public void Failed(Exception exception) => _delivered.TrySetException(exception);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused an interaction request from {Remote}: bad, stale or missing signature")]
    private partial void LogRejected(System.Net.IPAddress? remote);
}
