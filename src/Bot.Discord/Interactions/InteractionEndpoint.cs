using System.Runtime.CompilerServices;
using System.Text.Json;
using Bot.Adapters;
using Bot.Discord.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Interactions;

/// <summary>
/// <c>POST /discord/interactions</c>: once <see cref="SignedWebhook"/> has checked Discord's signature
/// over the raw body, answers PING, and answers everything else inline (HTTP 200 with the interaction
/// response), leaving edits and follow-ups to run on after the HTTP exchange.
/// </summary>
public sealed class InteractionEndpoint(
    IOptions<DiscordOptions> options,
    SignedWebhook webhook,
    InteractionPipeline pipeline,
    InFlightWork inFlight)
{
    public const string Path = "/discord/interactions";

    private readonly InteractionSignature _signature = new(options.Value.PublicKey ?? throw new InvalidOperationException("Discord:PublicKey is required for HTTP interactions."));

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await webhook.ReadSignedBodyAsync(context, _signature) is not { } body)
        {
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
            var json = Serialized(await responder.Response);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = json.Length;
            await context.Response.Body.WriteAsync(json, context.RequestAborted);
            await context.Response.CompleteAsync();
            responder.Delivered();
        }
        catch (Exception exception)
        {
            responder.Failed(exception);
            throw;
        }
    }

    /// <summary>
    /// The response's JSON. The renderer hands out the same message for the same reply (a concept's), so
    /// a message answer is serialized once per callback type and kept beside the message for as long as
    /// it lives, rather than on every request (10% of the CPU under load, bench/ceiling/README.md).
    /// </summary>
    private static byte[] Serialized(InteractionResponse response) =>
        response.Data is DiscordMessage message && SerializedMessages.TryGetValue(response.Type, out var byMessage)
            ? byMessage.GetValue(message, _ => JsonSerializer.SerializeToUtf8Bytes(response, DiscordJson.Options))
            : JsonSerializer.SerializeToUtf8Bytes(response, DiscordJson.Options);

    private static readonly Dictionary<InteractionCallbackType, ConditionalWeakTable<DiscordMessage, byte[]>> SerializedMessages = new()
    {
        [InteractionCallbackType.ChannelMessageWithSource] = [],
        [InteractionCallbackType.UpdateMessage] = [],
    };

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
}
