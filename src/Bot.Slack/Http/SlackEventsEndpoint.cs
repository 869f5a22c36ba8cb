using Bot.Core;
using System.Text;
using System.Text.Json;
using Bot.Slack.Interactions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Http;

/// <summary>
/// <c>POST /slack/events</c>, one URL for everything Slack sends over HTTP, as @slack/bolt does: slash
/// commands (form fields), interactivity and menu options (a form field <c>payload</c> holding JSON),
/// and the Events API (JSON, including <c>url_verification</c>). The signature over the raw body is
/// checked before anything is parsed.
/// </summary>
public sealed partial class SlackEventsEndpoint(IOptions<SlackOptions> options, SlackPipeline pipeline, TimeProvider time, ILogger<SlackEventsEndpoint> logger)
{
    public const string Path = "/slack/events";

    /// <summary>Slack's requests are a few kilobytes; this refuses anything that could only be abuse.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly SlackSignature _signature = new(options.Value.SigningSecret ?? throw new InvalidOperationException("Slack:SigningSecret is required for POST /slack/events."), time);

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        var isJson = context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        var form = isJson ? null : QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        if (form is not null && form.TryGetValue("ssl_check", out var sslCheck) && sslCheck == "1")
        {
            // Slack's certificate check is the one request it does not sign; it needs only a 200.
            return;
        }

        if (!_signature.Verify(context.Request.Headers["X-Slack-Request-Timestamp"].ToString(), context.Request.Headers["X-Slack-Signature"].ToString(), body))
        {
            LogRejected(context.Connection.RemoteIpAddress);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsync("invalid request signature", context.RequestAborted);
            return;
        }

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
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, ack, ack.GetType(), SlackJson.Options, context.RequestAborted);
        }
    }

    private Task<object?> FormAsync(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form, CancellationToken cancellationToken)
    {
        if (form.TryGetValue("payload", out var payload))
        {
            using var document = JsonDocument.Parse(payload.ToString());
            return pipeline.InteractionAsync(SlackInteraction.FromJson(document.RootElement), cancellationToken);
        }

        return form.ContainsKey("command")
            ? pipeline.SlashCommandAsync(SlackSlashCommand.FromFields(name => form.TryGetValue(name, out var value) ? value.ToString() : null), cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a signed Slack request that is not what Slack sends ({Problem})")]
    private partial void LogMalformed(string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a Slack request from {Remote}: bad, stale or missing signature")]
    private partial void LogRejected(System.Net.IPAddress? remote);
}
