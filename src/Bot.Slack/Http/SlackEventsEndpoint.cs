using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bot.Adapters;
using Bot.Slack.Interactions;
using Bot.Slack.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Http;

/// <summary>
/// <c>POST /slack/events</c>, one URL for everything Slack sends over HTTP, as @slack/bolt does: slash
/// commands (form fields), interactivity and menu options (a form field <c>payload</c> holding JSON),
/// and the Events API (JSON, including <c>url_verification</c>). <see cref="SignedWebhook"/> checks
/// the signature over the raw body before anything is parsed.
/// </summary>
public sealed partial class SlackEventsEndpoint(IOptions<SlackOptions> options, SignedWebhook webhook, SlackPipeline pipeline, ILogger<SlackEventsEndpoint> logger)
{
    public const string Path = "/slack/events";

    private readonly SlackSignature _signature = new(options.Value.SigningSecret ?? throw new InvalidOperationException("Slack:SigningSecret is required for POST /slack/events."));

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await webhook.ReadSignedBodyAsync(context, _signature) is not { } body)
        {
            return;
        }

        var form = IsJson(context.Request) ? null : ReadForm(body);
        object? ack;
        try
        {
            ack = form is null ? Event(body) : await FormAsync(form, context.RequestAborted);
        }
        catch (Exception exception) when (exception is JsonException or SlackPayloadException)
        {
            LogMalformed(exception.GetType().Name);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (ack is not null)
        {
            var json = ack is SlackMessage message
                ? SerializedMessages.GetValue(message, static first => JsonSerializer.SerializeToUtf8Bytes(first, SlackJson.Options))
                : JsonSerializer.SerializeToUtf8Bytes(ack, ack.GetType(), SlackJson.Options);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = json.Length;
            await context.Response.Body.WriteAsync(json, context.RequestAborted);
        }
    }

    /// <summary>
    /// Acknowledgements already written, by message: <see cref="SlackPipeline"/> hands out the same messages
    /// for the same reply (a concept's), and serializing its Block Kit again for every request was 15% of
    /// the process's CPU under load (bench/ceiling/README.md). An entry lives as long as its message.
    /// </summary>
    private static readonly ConditionalWeakTable<SlackMessage, byte[]> SerializedMessages = [];

    /// <summary>
    /// The form's fields by name. Slack sends each once, in lower case, so the first value of a name is kept, in an
    /// ordinal dictionary: <see cref="QueryHelpers.ParseQuery(string?)"/>'s case-insensitive one of
    /// <see cref="Microsoft.Extensions.Primitives.StringValues"/> was 7% of a slash command's CPU under load.
    /// </summary>
    internal static Dictionary<string, string> ReadForm(ReadOnlySpan<byte> body)
    {
        var fields = new Dictionary<string, string>(16, StringComparer.Ordinal);
        foreach (var field in new QueryStringEnumerable(Encoding.UTF8.GetString(body)))
        {
            fields.TryAdd(field.DecodeName().ToString(), field.DecodeValue().ToString());
        }

        return fields;
    }

    private Task<object?> FormAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        if (form.TryGetValue("payload", out var payload))
        {
            using var document = JsonDocument.Parse(payload);
            return pipeline.InteractionAsync(SlackInteraction.FromJson(document.RootElement), cancellationToken);
        }

        return form.ContainsKey("command")
            ? pipeline.SlashCommandAsync(SlackSlashCommand.FromFields(form.GetValueOrDefault), cancellationToken)
            : Task.FromResult<object?>(null);
    }

    /// <summary>The Events API: only the URL check needs an answer; the bot subscribes to no events.</summary>
    /// <exception cref="SlackPayloadException">Not an object with a text <c>type</c>, or a URL check without a text challenge.</exception>
    private static Dictionary<string, string?>? Event(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        SlackPayloadReader.RequireObject(root);
        var type = SlackPayloadReader.Text(root, "type") ?? throw new SlackPayloadException("an Events API body needs a type");
        if (type != "url_verification")
        {
            return null;
        }

        var challenge = SlackPayloadReader.Text(root, "challenge") ?? throw new SlackPayloadException("url_verification needs a challenge");
        return new Dictionary<string, string?> { ["challenge"] = challenge };
    }

    /// <summary>Slack sends the Events API as JSON and everything else as a form.</summary>
    internal static bool IsJson(HttpRequest request) =>
        request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a signed Slack request that is not what Slack sends ({Problem})")]
    private partial void LogMalformed(string problem);
}
