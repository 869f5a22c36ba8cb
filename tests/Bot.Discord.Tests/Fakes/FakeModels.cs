using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

/// <summary>One HTTP request the fake received, with the status it answered.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Full request path, e.g. <c>/api/v10/channels/1/messages</c>.</param>
/// <param name="Query">Raw query string including the leading <c>?</c>, or empty.</param>
/// <param name="Headers">Request headers (case-insensitive names; repeated values joined with ", ").</param>
/// <param name="Body">Raw request body.</param>
/// <param name="Status">HTTP status the fake answered with.</param>
/// <param name="At">When the request arrived (fake's clock).</param>
public sealed record FakeRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int Status,
    DateTimeOffset At);

/// <summary>A mention that a real Discord would have turned into a notification.</summary>
/// <param name="Where">The request or interaction response that carried it.</param>
/// <param name="Mention">The mention as written, e.g. <c>@everyone</c>, <c>&lt;@123&gt;</c>, <c>&lt;@&amp;456&gt;</c>.</param>
public sealed record FakePing(string Where, string Mention);

/// <summary>A message in a fake channel or an interaction follow-up, authored by the bot.</summary>
public sealed class FakeMessage
{
    private readonly Lock _gate;
    private JsonObject _current;
    private int _editCount;
    private bool _deleted;

    internal FakeMessage(Lock gate, JsonObject current, DateTimeOffset createdAt)
    {
        _gate = gate;
        _current = Normalize(current);
        Id = (string)current["id"]!;
        ChannelId = (string)current["channel_id"]!;
        Nonce = current["nonce"]?.ToString();
        CreatedAt = createdAt;
    }

    /// <summary>Snowflake id the fake assigned.</summary>
    public string Id { get; }

    /// <summary>Channel the message lives in.</summary>
    public string ChannelId { get; }

    /// <summary>The nonce the message was created with, as a string, if any.</summary>
    public string? Nonce { get; }

    /// <summary>When the fake created (or was seeded with) the message; the nonce window counts from here.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>A copy of the message object as Discord would return it now (after edits).</summary>
    public JsonObject Current
    {
        get
        {
            lock (_gate)
            {
                return (JsonObject)_current.DeepClone();
            }
        }
    }

    /// <summary>Number of accepted edits.</summary>
    public int EditCount
    {
        get
        {
            lock (_gate)
            {
                return _editCount;
            }
        }
    }

    /// <summary>True once the bot deleted the message.</summary>
    public bool Deleted
    {
        get
        {
            lock (_gate)
            {
                return _deleted;
            }
        }
    }

    // The members below are used by FakeDiscord while it holds the gate.
    internal JsonObject CurrentUnlocked => _current;

    internal bool DeletedUnlocked => _deleted;

    // Stored JSON is re-parsed so that readers may cast numbers to any width ((int), (long)) whatever built them.
    internal static JsonObject Normalize(JsonObject message) => JsonNode.Parse(message.ToJsonString())!.AsObject();

    internal void ReplaceUnlocked(JsonObject next)
    {
        _current = Normalize(next);
        _editCount++;
    }

    internal void DeleteUnlocked() => _deleted = true;
}

/// <summary>An interaction Discord "sent" to the bot, and everything the bot answered to it.</summary>
public sealed class FakeInteraction
{
    private readonly Lock _gate;
    private readonly JsonObject _payload;
    private readonly List<FakeMessage> _followups = [];
    private JsonObject? _initialResponse;
    private string? _initialVia;
    private DateTimeOffset? _initialAt;
    private FakeMessage? _original;
    private int _rejectedResponses;
    private bool _loading;

    internal FakeInteraction(Lock gate, JsonObject payload, DateTimeOffset issuedAt)
    {
        _gate = gate;
        _payload = payload;
        Id = (string)payload["id"]!;
        Token = (string)payload["token"]!;
        Type = (int)payload["type"]!;
        IssuedAt = issuedAt;
    }

    /// <summary>Interaction id.</summary>
    public string Id { get; }

    /// <summary>Interaction token (the credential of the callback and webhook routes).</summary>
    public string Token { get; }

    /// <summary>Interaction type (1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 AUTOCOMPLETE, 5 MODAL_SUBMIT).</summary>
    public int Type { get; }

    /// <summary>A copy of the interaction payload as Discord sends it to the bot.</summary>
    public JsonObject Payload
    {
        get
        {
            lock (_gate)
            {
                return (JsonObject)_payload.DeepClone();
            }
        }
    }

    /// <summary>When the interaction was issued; the 3 s and 15 min deadlines count from here.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The accepted initial response (<c>{type, data}</c>), or null while none was accepted.</summary>
    public JsonObject? InitialResponse
    {
        get
        {
            lock (_gate)
            {
                return (JsonObject?)_initialResponse?.DeepClone();
            }
        }
    }

    /// <summary>"inline" (HTTP 200 body) or "callback" (POST .../callback), or null.</summary>
    public string? InitialVia
    {
        get
        {
            lock (_gate)
            {
                return _initialVia;
            }
        }
    }

    /// <summary>When the initial response was accepted.</summary>
    public DateTimeOffset? InitialResponseAt
    {
        get
        {
            lock (_gate)
            {
                return _initialAt;
            }
        }
    }

    /// <summary>
    /// The message as the user sees it now: the initial response's message (or the loading message of a
    /// defer, or the component's message for types 6/7) with later edits applied; null when the initial
    /// response carries no message (types 1, 8, 9) or none was accepted yet.
    /// </summary>
    public JsonObject? Original
    {
        get
        {
            lock (_gate)
            {
                return _original is { DeletedUnlocked: false } ? (JsonObject)_original.CurrentUnlocked.DeepClone() : null;
            }
        }
    }

    /// <summary>True while the original is a type-5 "thinking" message nobody has edited yet.</summary>
    public bool IsStillLoading
    {
        get
        {
            lock (_gate)
            {
                return _loading;
            }
        }
    }

    /// <summary>Copies of the follow-up messages (POST /webhooks/{app}/{token}), oldest first, with edits applied.</summary>
    public IReadOnlyList<JsonObject> Followups
    {
        get
        {
            lock (_gate)
            {
                return _followups.Where(m => !m.DeletedUnlocked).Select(m => (JsonObject)m.CurrentUnlocked.DeepClone()).ToList();
            }
        }
    }

    /// <summary>Initial responses Discord refused (late, duplicate, or invalid).</summary>
    public int RejectedResponses
    {
        get
        {
            lock (_gate)
            {
                return _rejectedResponses;
            }
        }
    }

    // The members below are used by FakeDiscord while it holds the gate.
    internal JsonObject PayloadUnlocked => _payload;

    internal bool AcknowledgedUnlocked => _initialResponse is not null;

    internal string? InitialViaUnlocked => _initialVia;

    internal int InitialResponseUnlockedType => _initialResponse?["type"] is JsonValue type && type.TryGetValue(out int value) ? value : 0;

    internal FakeMessage? OriginalUnlocked => _original;

    internal List<FakeMessage> FollowupsUnlocked => _followups;

    internal bool LoadingUnlocked
    {
        get => _loading;
        set => _loading = value;
    }

    internal void AcceptUnlocked(JsonObject response, string via, DateTimeOffset at, FakeMessage? original)
    {
        _initialResponse = response;
        _initialVia = via;
        _initialAt = at;
        _original = original;
    }

    internal void ReplaceOriginalUnlocked(FakeMessage original) => _original = original;

    internal void RejectUnlocked() => _rejectedResponses++;
}
