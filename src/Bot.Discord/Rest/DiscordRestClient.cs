using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Bot.Discord.Interactions;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Rest;

/// <summary>
/// Typed client for the Discord REST calls the bot makes. Register it with
/// <see cref="DiscordRestServiceCollectionExtensions.AddDiscordRest"/>, which adds rate limiting and retries.
/// Bodies are serialized with <see cref="DiscordJson.Options"/>; failures throw <see cref="DiscordApiException"/>.
/// </summary>
public sealed class DiscordRestClient : IGatewayUrlSource, IDiscordInteractionApi
{
    /// <summary>Discord requires <c>DiscordBot ($url, $versionNumber)</c>; Cloudflare may block other agents.</summary>
    public static string UserAgent { get; } = "DiscordBot (https://github.com/tutor-bot/tutor-bot, "
        + (typeof(DiscordRestClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0") + ")";

    private const int MaxMessagesPerPage = 100;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly DiscordOptions _options;

    public DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
    }

    /// <inheritdoc/>
    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => GetAsync<GatewayBotInfo>(DiscordRoute.GatewayBot(), cancellationToken);

    /// <summary>Who the bot token belongs to (<c>GET /users/@me</c>).</summary>
    public Task<DiscordUser> GetCurrentUserAsync(CancellationToken cancellationToken) => GetAsync<DiscordUser>(DiscordRoute.CurrentUser(), cancellationToken);

    /// <summary>The application the bot token belongs to (<c>GET /applications/@me</c>).</summary>
    public Task<DiscordApplication> GetCurrentApplicationAsync(CancellationToken cancellationToken) =>
        GetAsync<DiscordApplication>(DiscordRoute.CurrentApplication(), cancellationToken);

    /// <summary>A channel with its permission overwrites (<c>GET /channels/{channel.id}</c>).</summary>
    public Task<DiscordChannel> GetChannelAsync(string channelId, CancellationToken cancellationToken) =>
        GetAsync<DiscordChannel>(DiscordRoute.GetChannel(channelId), cancellationToken);

    /// <summary>A guild with its owner and roles (<c>GET /guilds/{guild.id}</c>).</summary>
    public Task<DiscordGuild> GetGuildAsync(string guildId, CancellationToken cancellationToken) =>
        GetAsync<DiscordGuild>(DiscordRoute.GetGuild(guildId), cancellationToken);

    /// <summary>One member of a guild with their roles (<c>GET /guilds/{guild.id}/members/{user.id}</c>).</summary>
    public Task<DiscordGuildMember> GetGuildMemberAsync(string guildId, string userId, CancellationToken cancellationToken) =>
        GetAsync<DiscordGuildMember>(DiscordRoute.GetGuildMember(guildId, userId), cancellationToken);

    /// <summary>Replaces every global command with <paramref name="commands"/> (<c>PUT</c>); returns how many Discord now holds.</summary>
    public Task<int> BulkOverwriteGlobalCommandsAsync(IReadOnlyList<object> commands, CancellationToken cancellationToken) =>
        BulkOverwriteAsync(DiscordRoute.BulkOverwriteGlobalCommands(ApplicationId()), commands, cancellationToken);

    /// <summary>Replaces the commands of one guild (they update instantly there); returns how many Discord now holds.</summary>
    public Task<int> BulkOverwriteGuildCommandsAsync(string guildId, IReadOnlyList<object> commands, CancellationToken cancellationToken) =>
        BulkOverwriteAsync(DiscordRoute.BulkOverwriteGuildCommands(ApplicationId(), guildId), commands, cancellationToken);

    /// <summary>
    /// Posts a message. A 5xx is retried, so a post whose answer was lost can land twice unless
    /// <paramref name="message"/> carries a <c>nonce</c> with <c>enforce_nonce: true</c>.
    /// </summary>
    public async Task<DiscordMessageRef> CreateMessageAsync(string channelId, object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var route = DiscordRoute.CreateMessage(channelId);
        using var response = await SendAsync(route, message, cancellationToken).ConfigureAwait(false);
        return await ReadMessageRefAsync(route, response, channelId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DiscordMessageRef> EditMessageAsync(string channelId, string messageId, object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var route = DiscordRoute.EditMessage(channelId, messageId);
        using var response = await SendAsync(route, message, cancellationToken).ConfigureAwait(false);
        return await ReadMessageRefAsync(route, response, channelId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest messages of a channel, newest first as Discord orders them.</summary>
    /// <param name="limit">1 to 100 (Discord's page size); clamped.</param>
    public async Task<IReadOnlyList<DiscordChannelMessage>> GetChannelMessagesAsync(string channelId, int limit, CancellationToken cancellationToken)
    {
        var route = DiscordRoute.GetChannelMessages(channelId, Math.Clamp(limit, 1, MaxMessagesPerPage));
        using var response = await SendAsync(route, body: null, cancellationToken).ConfigureAwait(false);
        using var document = await ReadDocumentAsync(route, response, cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"Discord answered {route.Template} with something other than an array.");
        }

        return [.. document.RootElement.EnumerateArray().Select(element => ToChannelMessage(element, channelId))];
    }

    /// <summary>
    /// The initial response to an interaction (<c>POST /interactions/{id}/{token}/callback</c>), due within 3 seconds
    /// of the interaction. Authorised by the token in the path, so no bot token is sent.
    /// </summary>
    public async Task CreateInteractionResponseAsync(string interactionId, string interactionToken, object response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var route = DiscordRoute.CreateInteractionResponse(interactionId, interactionToken);
        using var answer = await SendAsync(route, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Edits the initial response (after a defer, this is how the answer arrives); valid for 15 minutes.</summary>
    public async Task<DiscordMessageRef> EditOriginalResponseAsync(string interactionToken, object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var route = DiscordRoute.EditOriginalResponse(ApplicationId(), interactionToken);
        using var response = await SendAsync(route, message, cancellationToken).ConfigureAwait(false);
        return await ReadMessageRefAsync(route, response, channelId: "", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the initial response, e.g. a public "thinking" message whose answer turned out to be private.</summary>
    public async Task DeleteOriginalResponseAsync(string interactionToken, CancellationToken cancellationToken)
    {
        var route = DiscordRoute.DeleteOriginalResponse(ApplicationId(), interactionToken);
        using var response = await SendAsync(route, body: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a follow-up message for an interaction; returns the new message's id.</summary>
    public async Task<string> CreateFollowupAsync(string interactionToken, object message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var route = DiscordRoute.CreateFollowup(ApplicationId(), interactionToken);
        using var response = await SendAsync(route, message, cancellationToken).ConfigureAwait(false);
        var created = await ReadMessageRefAsync(route, response, channelId: "", cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    private async Task<int> BulkOverwriteAsync(DiscordRoute route, IReadOnlyList<object> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        using var response = await SendAsync(route, commands, cancellationToken).ConfigureAwait(false);
        using var document = await ReadDocumentAsync(route, response, cancellationToken).ConfigureAwait(false);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.GetArrayLength()
            : throw new InvalidDataException($"Discord answered {route.Template} with something other than an array.");
    }

    private async Task<HttpResponseMessage> SendAsync(DiscordRoute route, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(route.Method, new Uri(route.RelativePath, UriKind.Relative));
        request.Options.Set(DiscordRoute.OptionsKey, route);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (route.UsesBotToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", BotToken());
        }

        if (body is not null)
        {
            // Bytes rather than a streaming JsonContent: a Content-Length, and the body can be sent again on retry.
            var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), DiscordJson.Options));
            content.Headers.ContentType = JsonMediaType;
            request.Content = content;
        }

        var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await DiscordApiException.FromResponseAsync(route, response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> GetAsync<T>(DiscordRoute route, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(route, body: null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(route, response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(DiscordRoute route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, DiscordJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Discord answered {route.Template} with an empty body.");
        }
    }

    private static async Task<JsonDocument> ReadDocumentAsync(DiscordRoute route, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            throw new InvalidDataException($"Discord answered {route.Template} with an empty body.");
        }

        return JsonDocument.Parse(body);
    }

    private static async Task<DiscordMessageRef> ReadMessageRefAsync(DiscordRoute route, HttpResponseMessage response, string channelId, CancellationToken cancellationToken)
    {
        using var document = await ReadDocumentAsync(route, response, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var id = root.ValueKind == JsonValueKind.Object ? StringOrNull(root, "id") : null;
        return id is null
            ? throw new InvalidDataException($"Discord answered {route.Template} without a message id.")
            : new DiscordMessageRef(id, StringOrNull(root, "channel_id") ?? channelId);
    }

    private static DiscordChannelMessage ToChannelMessage(JsonElement element, string channelId) => new(
        StringOrNull(element, "id") ?? "",
        StringOrNull(element, "channel_id") ?? channelId,
        StringOrNull(element, "content") ?? "",
        element.TryGetProperty("nonce", out var nonce) && nonce.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (nonce.ValueKind == JsonValueKind.String ? nonce.GetString() : nonce.GetRawText())
            : null,
        element.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object ? StringOrNull(author, "id") : null,
        ArrayOrEmpty(element, "embeds"),
        ArrayOrEmpty(element, "components"));

    private static string? StringOrNull(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement ArrayOrEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.Clone() : EmptyArray;

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    private string BotToken() => string.IsNullOrWhiteSpace(_options.BotToken)
        ? throw new InvalidOperationException("Discord:BotToken is not set.")
        : _options.BotToken;

    private string ApplicationId() => string.IsNullOrWhiteSpace(_options.ApplicationId)
        ? throw new InvalidOperationException("Discord:ApplicationId is not set.")
        : _options.ApplicationId;
}
