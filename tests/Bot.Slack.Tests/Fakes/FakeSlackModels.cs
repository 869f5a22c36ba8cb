using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

/// <summary>One HTTP request the fake received (Web API, response_url or Socket Mode upgrade) and the status it answered.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, e.g. <c>/api/chat.postMessage</c>.</param>
/// <param name="Query">Raw query string including the leading <c>?</c>, or empty.</param>
/// <param name="Headers">Request headers (case-insensitive names; repeated values joined with ", ").</param>
/// <param name="Body">Raw request body.</param>
/// <param name="Status">HTTP status the fake answered with (101 for an accepted WebSocket).</param>
/// <param name="At">When the request arrived (fake's clock).</param>
public sealed record FakeSlackRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int Status,
    DateTimeOffset At)
{
    /// <summary>The Web API method name (<c>chat.postMessage</c>) when the request went to <c>/api/</c>, else null.</summary>
    public string? ApiMethod => Path.StartsWith("/api/", StringComparison.Ordinal) ? Path["/api/".Length..] : null;
}

/// <summary>A mention in text the bot sent that real Slack would turn into a notification.</summary>
/// <param name="Source">What carried it, e.g. <c>chat.postMessage text</c> or <c>response_url blocks[1].text</c>.</param>
/// <param name="Channel">The channel the text went to.</param>
/// <param name="Mention">The mention as written, e.g. <c>&lt;!channel&gt;</c>, <c>&lt;@U123&gt;</c>, <c>@here</c>.</param>
/// <param name="Kind"><c>channel</c>, <c>here</c>, <c>everyone</c>, <c>user</c> or <c>subteam</c>.</param>
/// <param name="Target">The user or user-group id for <c>user</c>/<c>subteam</c>, else null.</param>
public sealed record FakeSlackPing(string Source, string Channel, string Mention, string Kind, string? Target);

/// <summary>A snapshot of a message the bot posted (or a reply in its thread).</summary>
/// <param name="Ts">The message's <c>ts</c>, its id within the channel.</param>
/// <param name="Channel">Channel id.</param>
/// <param name="Current">The message object as it is now (text, blocks, metadata, thread_ts...), a copy.</param>
/// <param name="EditCount">Accepted edits (<c>chat.update</c> or <c>replace_original</c>).</param>
/// <param name="Replies">Thread replies, oldest first (empty for replies themselves).</param>
public sealed record FakeSlackMessage(string Ts, string Channel, JsonObject Current, int EditCount, IReadOnlyList<FakeSlackMessage> Replies)
{
    /// <summary>The message's <c>text</c>, or empty.</summary>
    public string Text => Current["text"]?.GetValue<string>() ?? string.Empty;

    /// <summary>The message's <c>blocks</c>, if any.</summary>
    public JsonArray? Blocks => Current["blocks"] as JsonArray;

    /// <summary>The message's <c>metadata</c>, if any.</summary>
    public JsonObject? Metadata => Current["metadata"] as JsonObject;
}

/// <summary>A message only one user sees: from <c>chat.postEphemeral</c> or an ephemeral <c>response_url</c> post.</summary>
/// <param name="Channel">Channel it was shown in.</param>
/// <param name="User">The user who sees it (null when the response_url was created without one).</param>
/// <param name="Body">The request body (text, blocks, ...), a copy; replaced when a later post replaces it.</param>
/// <param name="Ts">The <c>message_ts</c> the fake assigned.</param>
/// <param name="Source"><c>chat.postEphemeral</c> or <c>response_url</c>.</param>
public sealed record FakeSlackEphemeral(string Channel, string? User, JsonObject Body, string Ts, string Source);

/// <summary>One POST to a response_url, accepted or not.</summary>
/// <param name="Body">The parsed JSON body, or null when it was not a JSON object.</param>
/// <param name="RawBody">The body as received.</param>
/// <param name="Status">HTTP status the fake answered (200 when accepted).</param>
/// <param name="At">When it arrived.</param>
public sealed record FakeResponsePost(JsonObject? Body, string RawBody, int Status, DateTimeOffset At)
{
    /// <summary>Whether the fake accepted the post.</summary>
    public bool Accepted => Status == 200;
}

/// <summary>An acknowledgement the client sent on a Socket Mode connection.</summary>
/// <param name="EnvelopeId">The <c>envelope_id</c> it acknowledged.</param>
/// <param name="Payload">The optional response <c>payload</c>, a copy.</param>
/// <param name="At">When it arrived.</param>
/// <param name="Late">Whether the envelope's ack deadline (3 s) had already passed.</param>
/// <param name="KnownEnvelope">Whether the id belonged to an envelope the fake sent.</param>
/// <param name="Raw">The frame as received.</param>
public sealed record FakeAck(string EnvelopeId, JsonNode? Payload, DateTimeOffset At, bool Late, bool KnownEnvelope, string Raw);

/// <summary>A Socket Mode message sent to the client (envelope, hello or disconnect), in sending order.</summary>
/// <param name="ConnectionNumber">1-based number of the connection it went out on.</param>
/// <param name="Json">The frame as sent.</param>
/// <param name="At">When it was sent.</param>
public sealed record FakeSocketFrame(int ConnectionNumber, string Json, DateTimeOffset At);
