using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Slack.Tests.Fakes;

public sealed partial class FakeSlack
{
    /// <summary>Web API methods this fake serves.</summary>
    public static readonly IReadOnlySet<string> KnownMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "auth.test", "chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete",
        "conversations.history", "conversations.replies", "apps.connections.open", "api.test",
    };

    // Write methods that read a JSON body (when the token is in the Authorization header).
    private static readonly HashSet<string> JsonMethods = new(StringComparer.Ordinal)
    {
        "chat.postMessage", "chat.update", "chat.postEphemeral", "chat.delete",
    };

    private static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal)
    {
        "auth.test", "conversations.history", "conversations.replies",
    };

    // A client that waits exactly Retry-After may be a timer tick early by our clock.
    private static readonly TimeSpan RetryGrace = TimeSpan.FromMilliseconds(15);

    private readonly Dictionary<string, MethodLimits> _limits = new(StringComparer.Ordinal);

    /// <summary>Calls per minute each Web API method accepts before answering 429 (generous; Slack's tiers are lower). Per-method overrides: <see cref="SetRateLimit"/>.</summary>
    public int DefaultRateLimitPerMinute { get; set; } = 1000;

    /// <summary>Sets the per-minute budget of one Web API method.</summary>
    public void SetRateLimit(string method, int perMinute)
    {
        lock (_gate)
        {
            LimitsFor(method).PerMinute = perMinute;
        }
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> answer HTTP 429 with <c>Retry-After: retryAfterSeconds</c>. A call inside an announced window is a problem (and is answered 429 again without using up the count).</summary>
    public void InjectRateLimit(string method, int retryAfterSeconds, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        lock (_gate)
        {
            var limits = LimitsFor(method);
            limits.InjectedRateLimits = count;
            limits.InjectedRetryAfterSeconds = retryAfterSeconds;
        }
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> answer HTTP 200 <c>{"ok":false,"error":error}</c>.</summary>
    public void InjectError(string method, string error, int count)
    {
        lock (_gate)
        {
            var limits = LimitsFor(method);
            limits.InjectedError = error;
            limits.InjectedErrorCount = count;
        }
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private async Task HandleWebApiAsync(HttpContext context, string method)
    {
        var at = Now;
        var body = await ReadBodyAsync(context.Request);
        var outcome = ProcessWebApi(context.Request, method, body, at);
        if (outcome.RetryAfterSeconds is int seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        RecordRequest(context, body, outcome.Status, at);
        await WriteJsonAsync(context, outcome.Body, outcome.Status);
    }

    private ApiOutcome ProcessWebApi(HttpRequest request, string method, string body, DateTimeOffset at)
    {
        if (!KnownMethods.Contains(method))
        {
            AddProblem($"{method}: unknown Web API method (or not one this fake serves)");
            return new(Error("unknown_method"));
        }

        if (!HttpMethods.IsPost(request.Method) && !(HttpMethods.IsGet(request.Method) && ReadMethods.Contains(method)))
        {
            AddProblem($"{method}: sent with {request.Method}; use POST");
        }

        var args = new SlackArgs();
        var warnings = new List<string>();
        foreach (var pair in request.Query)
        {
            args.Set(pair.Key, pair.Value.ToString());
        }

        var contentType = request.ContentType ?? string.Empty;
        var isForm = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        var isJson = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (body.Length > 0 && isForm)
        {
            foreach (var pair in QueryHelpers.ParseQuery(body))
            {
                args.Set(pair.Key, pair.Value.ToString());
            }
        }

        // api.test needs no token: it echoes its arguments (and error=…, if given, as the error it answers).
        if (method == "api.test")
        {
            return new(args.Text("error") is { } asked
                ? new JsonObject { ["ok"] = false, ["error"] = asked }
                : new JsonObject { ["ok"] = true, ["args"] = new JsonObject() });
        }

        // Slack reads a token argument only from form fields or the query, never from a JSON body.
        var argumentToken = args.Text("token");
        if (body.Length > 0 && isJson)
        {
            if (!JsonMethods.Contains(method))
            {
                AddProblem($"{method}: JSON body is not read by this method (its arguments go form-encoded or in the query); arguments ignored");
            }
            else
            {
                if (!contentType.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase))
                {
                    warnings.Add("missing_charset");
                    AddProblem($"{method}: Content-Type '{contentType}' lacks charset=utf-8 (Slack answers warning missing_charset)");
                }

                JsonNode? parsed;
                try
                {
                    parsed = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    parsed = null;
                }

                if (parsed is not JsonObject json)
                {
                    AddProblem($"{method}: body is not a JSON object");
                    return new(Error("invalid_json"));
                }

                foreach (var pair in json)
                {
                    args.Set(pair.Key, pair.Value?.DeepClone());
                }
            }
        }
        else if (body.Length > 0 && !isForm)
        {
            AddProblem($"{method}: unsupported Content-Type '{contentType}'; arguments ignored");
        }

        var authError = Authenticate(request, method, argumentToken, out var grantedScopes);
        if (authError is not null)
        {
            return new(Error(authError));
        }

        SetScopeHeaders(request.HttpContext.Response, method, grantedScopes!);

        var limited = ApplyLimits(method, at);
        if (limited is not null)
        {
            return limited.Value;
        }

        var result = method == "apps.connections.open" ? OpenConnection() : Dispatch(method, args, warnings);
        if (warnings.Count > 0)
        {
            result["warning"] = string.Join(',', warnings);
            result["response_metadata"] = new JsonObject { ["warnings"] = new JsonArray(warnings.Select(w => (JsonNode?)w).ToArray()) };
        }

        return new(result);
    }

    // Returns the error to answer, or null with the accepted token's scopes.
    private string? Authenticate(HttpRequest request, string method, string? argumentToken, out string? grantedScopes)
    {
        grantedScopes = null;
        var token = BearerToken(request);
        if (token is null && argumentToken is not null)
        {
            token = argumentToken;
            AddProblem($"{method}: token sent as an argument; send it as Authorization: Bearer");
        }

        if (string.IsNullOrEmpty(token))
        {
            AddProblem($"{method}: no Authorization: Bearer token (not_authed)");
            return "not_authed";
        }

        string? error;
        if (method == "apps.connections.open")
        {
            if (token == AppToken)
            {
                if (AppTokenRevoked)
                {
                    return "invalid_auth";
                }

                grantedScopes = AppTokenScope;
                return null;
            }

            error = token.StartsWith("xox", StringComparison.Ordinal) ? "not_allowed_token_type" : "invalid_auth";
        }
        else
        {
            if (token == BotToken)
            {
                if (BotTokenRevoked)
                {
                    return "account_inactive";
                }

                grantedScopes = GrantedBotScopesText;
                return null;
            }

            error = token.StartsWith("xapp-", StringComparison.Ordinal) ? "not_allowed_token_type" : "invalid_auth";
        }

        AddProblem($"{method}: token rejected ({error})");
        return error;
    }

    private ApiOutcome? ApplyLimits(string method, DateTimeOffset at)
    {
        lock (_gate)
        {
            var limits = LimitsFor(method);
            if (at + RetryGrace < limits.BlockedUntil)
            {
                var remaining = (int)Math.Ceiling((limits.BlockedUntil - at).TotalSeconds);
                _problems.Add($"{method}: called {(limits.BlockedUntil - at).TotalMilliseconds:0} ms before the announced Retry-After elapsed");
                return new(Error("ratelimited"), StatusCodes.Status429TooManyRequests, remaining);
            }

            if (limits.InjectedRateLimits > 0)
            {
                limits.InjectedRateLimits--;
                limits.BlockedUntil = at + TimeSpan.FromSeconds(limits.InjectedRetryAfterSeconds);
                return new(Error("ratelimited"), StatusCodes.Status429TooManyRequests, limits.InjectedRetryAfterSeconds);
            }

            if (at - limits.WindowStart >= TimeSpan.FromMinutes(1))
            {
                limits.WindowStart = at;
                limits.WindowCount = 0;
            }

            if (++limits.WindowCount > (limits.PerMinute ?? DefaultRateLimitPerMinute))
            {
                var retryAfter = Math.Max(1, (int)Math.Ceiling((limits.WindowStart + TimeSpan.FromMinutes(1) - at).TotalSeconds));
                limits.BlockedUntil = at + TimeSpan.FromSeconds(retryAfter);
                return new(Error("ratelimited"), StatusCodes.Status429TooManyRequests, retryAfter);
            }

            if (limits.InjectedErrorCount > 0)
            {
                limits.InjectedErrorCount--;
                return new(Error(limits.InjectedError!));
            }

            return null;
        }
    }

    // Caller holds _gate.
    private MethodLimits LimitsFor(string method)
    {
        if (!_limits.TryGetValue(method, out var limits))
        {
            limits = new MethodLimits();
            _limits[method] = limits;
        }

        return limits;
    }

    private JsonObject OpenConnection()
    {
        var url = SocketMode.IssueUrl(BaseAddress);
        return new JsonObject { ["ok"] = true, ["url"] = url.ToString() };
    }

    private JsonObject Dispatch(string method, SlackArgs args, List<string> warnings)
    {
        lock (_gate)
        {
            var scopeError = CheckChatScope(method);
            if (scopeError is not null)
            {
                return scopeError;
            }

            return method switch
            {
                "auth.test" => AuthTest(),
                "chat.postMessage" => PostMessage(args, warnings),
                "chat.update" => UpdateMessage(args),
                "chat.postEphemeral" => PostEphemeral(args),
                "chat.delete" => DeleteMessage(args),
                "conversations.history" => History(args),
                "conversations.replies" => Replies(args),
                _ => Error("unknown_method"),
            };
        }
    }

    private static JsonObject AuthTest() => new()
    {
        ["ok"] = true,
        ["url"] = $"https://{TeamDomain}.slack.com/",
        ["team"] = "Fake School",
        ["user"] = "tutor",
        ["team_id"] = TeamId,
        ["user_id"] = BotUserId,
        ["bot_id"] = BotId,
        ["is_enterprise_install"] = false,
    };

    // Caller holds _gate. Returns the channel, or null with the error to answer. A private channel the bot is not in
    // is invisible to it (channel_not_found); a public one answers not_in_channel ("only user tokens can access public
    // channels they are not in"). Reading history checks the channel type's scope once the channel is visible.
    private ChannelState? ResolveChannel(string method, SlackArgs args, out JsonObject? error, bool readsHistory = false)
    {
        error = null;
        var channelId = args.Text("channel");
        if (string.IsNullOrEmpty(channelId))
        {
            _problems.Add($"{method}: no channel argument");
            error = Error("channel_not_found");
            return null;
        }

        if (!_channels.TryGetValue(channelId, out var channel) || (channel.IsPrivate && !channel.BotIsMember))
        {
            error = Error("channel_not_found");
            return null;
        }

        if (readsHistory)
        {
            error = CheckHistoryScope(channel);
            if (error is not null)
            {
                return null;
            }
        }

        if (!channel.BotIsMember)
        {
            error = Error("not_in_channel");
            return null;
        }

        return channel;
    }

    // Caller holds _gate. Checks text/blocks/metadata the way the chat.* methods do; returns an error or null.
    private JsonObject? CheckContent(string method, SlackArgs args, bool allowEmpty, out string? text, out JsonNode? blocks, out JsonNode? metadata)
    {
        text = args.Text("text");
        metadata = null;
        blocks = args.Json("blocks", out var badBlocks);
        if (badBlocks)
        {
            _problems.Add($"{method}: blocks is not valid JSON");
            return Error("invalid_blocks_format");
        }

        var markdown = args.Text("markdown_text");
        if (markdown is not null && (!string.IsNullOrEmpty(text) || blocks is not null))
        {
            _problems.Add($"{method}: markdown_text cannot be combined with text or blocks");
            return Error("markdown_text_conflict");
        }

        var hasBlocks = blocks is JsonArray { Count: > 0 } || (blocks is not null && blocks is not JsonArray);
        if (!allowEmpty && string.IsNullOrEmpty(text) && !hasBlocks && !args.Has("attachments") && string.IsNullOrEmpty(markdown))
        {
            _problems.Add($"{method}: none of text, blocks, attachments, markdown_text (no_text)");
            return Error("no_text");
        }

        if (blocks is not null)
        {
            var errors = BlockKitValidator.Validate(blocks);
            if (errors.Count > 0)
            {
                return InvalidBlocks(method, errors);
            }

            if (string.IsNullOrEmpty(text))
            {
                _problems.Add($"{method}: blocks without top-level text; Slack needs text as the notification fallback");
            }
        }

        if (markdown is not null && markdown.Length > 12_000)
        {
            _problems.Add($"{method}: markdown_text longer than 12000 characters");
            return Error("msg_too_long");
        }

        if (args.Has("metadata"))
        {
            metadata = args.Json("metadata", out var badMetadata);
            if (badMetadata || metadata is not JsonObject meta
                || meta["event_type"] is not JsonValue eventType || eventType.GetValueKind() != JsonValueKind.String
                || string.IsNullOrEmpty(eventType.GetValue<string>())
                || meta["event_payload"] is not JsonObject)
            {
                _problems.Add($"{method}: metadata must be {{\"event_type\": string, \"event_payload\": object}}");
                return Error("invalid_metadata_format");
            }
        }

        return null;
    }

    // Caller holds _gate.
    private JsonObject InvalidBlocks(string where, IReadOnlyList<string> errors)
    {
        _problems.Add($"{where}: invalid_blocks: {string.Join("; ", errors)}");
        var result = Error("invalid_blocks");
        result["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray());
        result["response_metadata"] = new JsonObject
        {
            ["messages"] = new JsonArray(errors.Select(e => (JsonNode?)$"[ERROR] {e}").ToArray()),
        };
        return result;
    }

    private static bool LinkNames(SlackArgs args) => args.Bool("link_names") || args.Text("parse") == "full";

    // Caller holds _gate.
    private JsonObject PostMessage(SlackArgs args, List<string> warnings)
    {
        const string Method = "chat.postMessage";
        var channel = ResolveChannel(Method, args, out var channelError);
        if (channel is null)
        {
            return channelError!;
        }

        var contentError = CheckContent(Method, args, allowEmpty: false, out var text, out var blocks, out var metadata);
        if (contentError is not null)
        {
            return contentError;
        }

        // Slack truncates text beyond 40,000 characters and says so.
        if (text is { Length: > 40_000 })
        {
            text = text[..40_000];
            warnings.Add("message_truncated");
        }

        MessageState? parent = null;
        var threadTs = args.Text("thread_ts");
        if (!string.IsNullOrEmpty(threadTs))
        {
            var target = FindMessage(channel, threadTs);
            parent = target is null ? null : channel.Messages.FirstOrDefault(m => m.Ts == threadTs || m.Replies.Contains(target));
            if (parent is null)
            {
                _problems.Add($"{Method}: thread_ts {threadTs} names no message in {channel.Id}; Slack would post to the channel instead");
            }
        }

        var ts = NextTs();
        var message = NewBotMessage(ts, text, blocks, metadata);
        if (parent is not null && args.Bool("reply_broadcast"))
        {
            message["subtype"] = "thread_broadcast";
        }

        StoreMessage(channel, message, ts, parent);
        _pings.AddRange(MentionScanner.Scan(Method, channel.Id, text, blocks, LinkNames(args)));
        var echoed = (JsonObject)message.DeepClone();
        echoed.Remove("metadata");
        return new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = ts, ["message"] = echoed };
    }

    // Caller holds _gate.
    private JsonObject UpdateMessage(SlackArgs args)
    {
        const string Method = "chat.update";
        var channel = ResolveChannel(Method, args, out var channelError);
        if (channel is null)
        {
            return channelError!;
        }

        var ts = args.Text("ts");
        if (string.IsNullOrEmpty(ts))
        {
            _problems.Add($"{Method}: no ts argument");
            return Error("message_not_found");
        }

        var target = FindMessage(channel, ts);
        if (target is null)
        {
            return Error("message_not_found");
        }

        if (target.Current["user"]?.GetValue<string>() != BotUserId)
        {
            _problems.Add($"{Method}: {ts} was not posted by the bot");
            return Error("cant_update_message");
        }

        var contentError = CheckContent(Method, args, allowEmpty: false, out var text, out var blocks, out var metadata);
        if (contentError is not null)
        {
            return contentError;
        }

        if (text is not null)
        {
            target.Current["text"] = text;
        }

        if (blocks is not null)
        {
            target.Current["blocks"] = WithBlockIds(blocks);
        }

        if (metadata is not null)
        {
            target.Current["metadata"] = metadata.DeepClone();
        }

        target.Current["edited"] = new JsonObject { ["user"] = BotUserId, ["ts"] = NextTs() };
        target.EditCount++;
        _pings.AddRange(MentionScanner.Scan(Method, channel.Id, text, blocks, LinkNames(args)));
        var echoed = (JsonObject)target.Current.DeepClone();
        echoed.Remove("metadata");
        return new JsonObject
        {
            ["ok"] = true,
            ["channel"] = channel.Id,
            ["ts"] = ts,
            ["text"] = target.Current["text"]?.DeepClone(),
            ["message"] = echoed,
        };
    }

    // Caller holds _gate.
    private JsonObject PostEphemeral(SlackArgs args)
    {
        const string Method = "chat.postEphemeral";
        var channel = ResolveChannel(Method, args, out var channelError);
        if (channel is null)
        {
            return channelError!;
        }

        var user = args.Text("user");
        if (string.IsNullOrEmpty(user))
        {
            _problems.Add($"{Method}: no user argument");
            return Error("user_not_found");
        }

        if (!(user.StartsWith('U') || user.StartsWith('W')))
        {
            return Error("user_not_in_channel");
        }

        var contentError = CheckContent(Method, args, allowEmpty: false, out var text, out var blocks, out _);
        if (contentError is not null)
        {
            return contentError;
        }

        var ts = NextTs();
        var body = new JsonObject { ["text"] = text ?? string.Empty };
        if (blocks is not null)
        {
            body["blocks"] = blocks.DeepClone();
        }

        var threadTs = args.Text("thread_ts");
        if (!string.IsNullOrEmpty(threadTs))
        {
            body["thread_ts"] = threadTs;
        }

        _ephemerals.Add(new FakeSlackEphemeral(channel.Id, user, body, ts, Method));
        _pings.AddRange(MentionScanner.Scan(Method, channel.Id, text, blocks, LinkNames(args)));
        return new JsonObject { ["ok"] = true, ["message_ts"] = ts };
    }

    // Caller holds _gate.
    private JsonObject DeleteMessage(SlackArgs args)
    {
        const string Method = "chat.delete";
        var channel = ResolveChannel(Method, args, out var channelError);
        if (channel is null)
        {
            return channelError!;
        }

        var ts = args.Text("ts");
        if (string.IsNullOrEmpty(ts))
        {
            _problems.Add($"{Method}: no ts argument");
            return Error("message_not_found");
        }

        var target = FindMessage(channel, ts);
        if (target is null)
        {
            return Error("message_not_found");
        }

        if (target.Current["user"]?.GetValue<string>() != BotUserId)
        {
            return Error("cant_delete_message");
        }

        DeleteMessage(channel, ts);
        return new JsonObject { ["ok"] = true, ["channel"] = channel.Id, ["ts"] = ts };
    }

    // Caller holds _gate.
    private JsonObject History(SlackArgs args)
    {
        const string Method = "conversations.history";
        var channel = ResolveChannel(Method, args, out var channelError, readsHistory: true);
        if (channel is null)
        {
            return channelError!;
        }

        if (!TryReadPage(Method, args, out var limit, out var offset, out var pageError))
        {
            return pageError!;
        }

        var oldest = ParseTs(args.Text("oldest"));
        var latest = ParseTs(args.Text("latest"));
        var inclusive = args.Bool("inclusive");
        var includeMetadata = args.Bool("include_all_metadata");
        var matching = channel.Messages
            .Where(m => InRange(ParseTs(m.Ts) ?? 0, oldest, latest, inclusive))
            .Reverse()
            .ToList();
        return Page(matching, offset, limit, includeMetadata);
    }

    // Caller holds _gate.
    private JsonObject Replies(SlackArgs args)
    {
        const string Method = "conversations.replies";
        var channel = ResolveChannel(Method, args, out var channelError, readsHistory: true);
        if (channel is null)
        {
            return channelError!;
        }

        var ts = args.Text("ts");
        if (string.IsNullOrEmpty(ts))
        {
            _problems.Add($"{Method}: no ts argument");
            return Error("thread_not_found");
        }

        var parent = channel.Messages.FirstOrDefault(m => m.Ts == ts);
        if (parent is null)
        {
            return Error("thread_not_found");
        }

        if (!TryReadPage(Method, args, out var limit, out var offset, out var pageError))
        {
            return pageError!;
        }

        var thread = new List<MessageState> { parent };
        thread.AddRange(parent.Replies);
        return Page(thread, offset, limit, args.Bool("include_all_metadata"));
    }

    // Caller holds _gate.
    private bool TryReadPage(string method, SlackArgs args, out int limit, out int offset, out JsonObject? error)
    {
        error = null;
        offset = 0;
        limit = args.Number("limit") ?? 100;
        if (limit > 1000)
        {
            _problems.Add($"{method}: limit {limit} is over the maximum 1000");
            limit = 1000;
        }

        if (limit < 1)
        {
            limit = 100;
        }

        var cursor = args.Text("cursor");
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (decoded.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(decoded["offset:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return true;
            }
        }
        catch (FormatException)
        {
            // Falls through to invalid_cursor.
        }

        _problems.Add($"{method}: cursor '{cursor}' is not one this fake issued");
        error = Error("invalid_cursor");
        return false;
    }

    private static JsonObject Page(List<MessageState> messages, int offset, int limit, bool includeMetadata)
    {
        var page = messages.Skip(offset).Take(limit).Select(m =>
        {
            var copy = (JsonObject)m.Current.DeepClone();
            if (!includeMetadata)
            {
                copy.Remove("metadata");
            }

            return (JsonNode?)copy;
        }).ToArray();
        var hasMore = offset + limit < messages.Count;
        var nextCursor = hasMore
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"offset:{offset + limit}")))
            : string.Empty;
        return new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray(page),
            ["has_more"] = hasMore,
            ["pin_count"] = 0,
            ["response_metadata"] = new JsonObject { ["next_cursor"] = nextCursor },
        };
    }

    private static decimal? ParseTs(string? ts) =>
        decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool InRange(decimal ts, decimal? oldest, decimal? latest, bool inclusive) =>
        (oldest is null || (inclusive ? ts >= oldest : ts > oldest)) && (latest is null || (inclusive ? ts <= latest : ts < latest));

    private readonly record struct ApiOutcome(JsonObject Body, int Status = StatusCodes.Status200OK, int? RetryAfterSeconds = null);

    private sealed class MethodLimits
    {
        public int? PerMinute { get; set; }

        public int InjectedRateLimits { get; set; }

        public int InjectedRetryAfterSeconds { get; set; }

        public string? InjectedError { get; set; }

        public int InjectedErrorCount { get; set; }

        public DateTimeOffset BlockedUntil { get; set; }

        public DateTimeOffset WindowStart { get; set; }

        public int WindowCount { get; set; }
    }
}
