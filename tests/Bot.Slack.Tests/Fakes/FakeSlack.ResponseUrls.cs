using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Tests.Fakes;

public sealed partial class FakeSlack
{
    private readonly Dictionary<string, ResponseUrlState> _responseUrls = new(StringComparer.Ordinal);
    private long _responseUrlCounter;

    /// <summary>How long a response_url accepts posts (Slack: 30 minutes).</summary>
    public TimeSpan ResponseUrlLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How many posts a response_url accepts (Slack: 5).</summary>
    public int ResponseUrlMaxPosts { get; set; } = 5;

    /// <summary>
    /// A fresh response_url, as a slash command or block_actions payload carries. Posts to it act in
    /// <paramref name="channelId"/>: <c>response_type: in_channel</c> posts a channel message, ephemeral (the default)
    /// goes to <see cref="Ephemerals"/> for <paramref name="userId"/>, <c>replace_original</c>/<c>delete_original</c>
    /// act on <paramref name="originalTs"/> (the message the button was on).
    /// </summary>
    public Uri NewResponseUrl(string channelId, string? userId = null, string? originalTs = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        lock (_gate)
        {
            var number = ++_responseUrlCounter;
            var key = string.Create(CultureInfo.InvariantCulture, $"commands/{TeamId}/{number}/{Guid.NewGuid():N}");
            _responseUrls[key] = new ResponseUrlState(channelId, userId, originalTs, Now);
            return new Uri(BaseAddress, "hooks/" + key);
        }
    }

    /// <summary>Every post to <paramref name="responseUrl"/>, accepted or refused, in order (a snapshot).</summary>
    public IReadOnlyList<FakeResponsePost> ResponsePosts(Uri responseUrl)
    {
        ArgumentNullException.ThrowIfNull(responseUrl);
        var key = responseUrl.AbsolutePath.StartsWith("/hooks/", StringComparison.Ordinal) ? responseUrl.AbsolutePath["/hooks/".Length..] : string.Empty;
        lock (_gate)
        {
            return _responseUrls.TryGetValue(key, out var state) ? state.Posts.ToList() : [];
        }
    }

    private async Task HandleResponseUrlAsync(HttpContext context, string key)
    {
        var at = Now;
        var body = await ReadBodyAsync(context.Request);
        var (status, answer) = ProcessResponsePost(context.Request, key, body, at);
        RecordRequest(context, body, status, at);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(answer);
    }

    private static bool IsTrue(JsonNode? node) =>
        node is JsonValue value && (value.GetValueKind() == JsonValueKind.True
            || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is "true" or "1"));

    private (int Status, string Answer) ProcessResponsePost(HttpRequest request, string key, string body, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (!_responseUrls.TryGetValue(key, out var state))
            {
                _problems.Add("response_url: post to a URL the fake never issued");
                return (StatusCodes.Status404NotFound, "no_service");
            }

            var parsed = TryParseObject(body);
            (int Status, string Answer) Refuse(int status, string answer, string problem)
            {
                _problems.Add($"response_url #{state.Posts.Count + 1}: {problem}");
                state.Posts.Add(new FakeResponsePost(parsed, body, status, at));
                return (status, answer);
            }

            if (!HttpMethods.IsPost(request.Method))
            {
                return Refuse(StatusCodes.Status405MethodNotAllowed, "invalid_method", $"sent with {request.Method}; use POST");
            }

            if (at - state.CreatedAt > ResponseUrlLifetime)
            {
                return Refuse(StatusCodes.Status404NotFound, "expired_url", $"used {(at - state.CreatedAt).TotalMinutes:0.#} min after it was issued (limit {ResponseUrlLifetime.TotalMinutes:0} min)");
            }

            if (state.Accepted >= ResponseUrlMaxPosts)
            {
                return Refuse(StatusCodes.Status404NotFound, "used_url", $"more than {ResponseUrlMaxPosts} posts to one response_url");
            }

            if (!(request.ContentType ?? string.Empty).StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || parsed is null)
            {
                return Refuse(StatusCodes.Status400BadRequest, "invalid_payload", $"body must be a JSON object sent as application/json (got '{request.ContentType}')");
            }

            var outcome = ApplyResponsePost(state, parsed, Refuse);
            if (outcome is { } refused)
            {
                return refused;
            }

            state.Accepted++;
            state.Posts.Add(new FakeResponsePost(parsed, body, StatusCodes.Status200OK, at));
            return (StatusCodes.Status200OK, "ok");
        }
    }

    // Caller holds _gate. Returns a refusal, or null when the post took effect.
    private (int Status, string Answer)? ApplyResponsePost(
        ResponseUrlState state, JsonObject post, Func<int, string, string, (int Status, string Answer)> refuse)
    {
        var channel = ChannelForResponseUrl(state.Channel);
        if (IsTrue(post["delete_original"]))
        {
            if (state.OriginalTs is null || !(DeleteMessage(channel, state.OriginalTs) || _ephemerals.RemoveAll(e => e.Ts == state.OriginalTs) > 0))
            {
                return refuse(StatusCodes.Status404NotFound, "message_not_found", "delete_original, but there is no original message to delete");
            }

            return null;
        }

        var text = post["text"] is JsonValue textValue && textValue.GetValueKind() == JsonValueKind.String ? textValue.GetValue<string>() : null;
        var blocks = post["blocks"];
        if (blocks is JsonValue)
        {
            return refuse(StatusCodes.Status400BadRequest, "invalid_blocks_format", "blocks must be a JSON array, not a string");
        }

        if (string.IsNullOrEmpty(text) && blocks is not JsonArray { Count: > 0 } && post["attachments"] is null)
        {
            return refuse(StatusCodes.Status400BadRequest, "no_text", "neither text nor blocks");
        }

        if (blocks is not null)
        {
            var errors = BlockKitValidator.Validate(blocks);
            if (errors.Count > 0)
            {
                return refuse(StatusCodes.Status400BadRequest, "invalid_blocks", $"invalid_blocks: {string.Join("; ", errors)}");
            }

            if (string.IsNullOrEmpty(text))
            {
                _problems.Add("response_url: blocks without top-level text; Slack needs text as the notification fallback");
            }
        }

        if (state.OriginalTs is not null && post["replace_original"] is null)
        {
            // What Slack does without the flag is unconfirmed (brief section 3), so clients must say what they mean.
            _problems.Add("response_url: replace_original not set on a post about an existing message; set it explicitly");
        }

        var linkNames = IsTrue(post["link_names"]) || (post["parse"] is JsonValue parse && parse.ToString() == "full");
        var responseType = post["response_type"]?.ToString();
        if (IsTrue(post["replace_original"]))
        {
            if (state.OriginalTs is null)
            {
                return refuse(StatusCodes.Status404NotFound, "message_not_found", "replace_original, but there is no original message (a slash command has none)");
            }

            var original = FindMessage(channel, state.OriginalTs);
            if (original is not null)
            {
                original.Current["text"] = text ?? string.Empty;
                if (blocks is not null)
                {
                    original.Current["blocks"] = WithBlockIds(blocks);
                }
                else
                {
                    original.Current.Remove("blocks");
                }

                original.EditCount++;
            }
            else
            {
                var index = _ephemerals.FindIndex(e => e.Ts == state.OriginalTs);
                if (index < 0)
                {
                    return refuse(StatusCodes.Status404NotFound, "message_not_found", $"replace_original, but message {state.OriginalTs} is not in {channel.Id}");
                }

                _ephemerals[index] = _ephemerals[index] with { Body = (JsonObject)post.DeepClone() };
            }
        }
        else if (responseType == "in_channel")
        {
            var ts = NextTs();
            var threadTs = post["thread_ts"]?.ToString();
            var parent = threadTs is null ? null : channel.Messages.FirstOrDefault(m => m.Ts == threadTs);
            StoreMessage(channel, NewBotMessage(ts, text, blocks, metadata: null), ts, parent);
        }
        else
        {
            if (responseType is not (null or "ephemeral"))
            {
                _problems.Add($"response_url: response_type '{responseType}' is neither in_channel nor ephemeral");
            }

            _ephemerals.Add(new FakeSlackEphemeral(channel.Id, state.User, (JsonObject)post.DeepClone(), NextTs(), "response_url"));
        }

        _pings.AddRange(MentionScanner.Scan("response_url", channel.Id, text, blocks, linkNames));
        return null;
    }

    // Caller holds _gate. A response_url works whether or not the bot is in the channel.
    private ChannelState ChannelForResponseUrl(string channelId)
    {
        if (!_channels.TryGetValue(channelId, out var channel))
        {
            channel = new ChannelState(channelId) { BotIsMember = false };
            _channels[channelId] = channel;
        }

        return channel;
    }

    private static JsonObject? TryParseObject(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class ResponseUrlState(string channel, string? user, string? originalTs, DateTimeOffset createdAt)
    {
        public string Channel { get; } = channel;

        public string? User { get; } = user;

        public string? OriginalTs { get; } = originalTs;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public int Accepted { get; set; }

        public List<FakeResponsePost> Posts { get; } = [];
    }
}
