using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

public sealed partial class FakeGateway
{
    // Intent bits Discord defines (gateway page, "Gateway Intents"): 0-16, 20, 21, 24, 25.
    private const long DefinedIntents = (1L << 17) - 1 | 1L << 20 | 1L << 21 | 1L << 24 | 1L << 25;

    // GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT.
    private const long PrivilegedIntents = 1L << 1 | 1L << 8 | 1L << 15;

    // Caller holds _gate.
    private async Task IdentifyLockedAsync(GatewayConnection connection, JsonObject payload)
    {
        int? closeInstead;
        lock (_lock)
        {
            _identifies++;
            closeInstead = _closeAfterIdentifyWith;
            _closeAfterIdentifyWith = null;
        }

        if (connection.Identified || connection.Authenticated)
        {
            AddProblem(connection, "sent Identify on a connection that already identified or resumed (closed 4005)");
            await CloseLockedAsync(connection, 4005, "Already authenticated").ConfigureAwait(false);
            return;
        }

        connection.Identified = true;
        if (closeInstead is { } code)
        {
            await CloseLockedAsync(connection, code, "closed after Identify by the test").ConfigureAwait(false);
            return;
        }

        if (payload["d"] is not JsonObject data)
        {
            AddProblem(connection, "sent Identify without a d object (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        if (!await CheckTokenLockedAsync(connection, data, "Identify").ConfigureAwait(false))
        {
            return;
        }

        if (data["properties"] is not JsonObject properties || !IsString(properties["os"]) || !IsString(properties["browser"]) || !IsString(properties["device"]))
        {
            AddProblem(connection, "sent Identify without properties {os, browser, device} as strings (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        if (!TryGetInteger(data["intents"], out var intents) || intents < 0 || (intents & ~DefinedIntents) != 0)
        {
            AddProblem(connection, $"sent Identify with intents {data["intents"]?.ToJsonString() ?? "(missing)"}; it must be an integer of defined intent bits (closed 4013)");
            await CloseLockedAsync(connection, 4013, "Invalid intent(s)").ConfigureAwait(false);
            return;
        }

        if ((intents & PrivilegedIntents & ~_options.ApprovedPrivilegedIntents) != 0)
        {
            await CloseLockedAsync(connection, 4014, "Disallowed intent(s)").ConfigureAwait(false);
            return;
        }

        JsonArray? shard = null;
        if (data["shard"] is { } shardNode)
        {
            if (shardNode is not JsonArray { Count: 2 } pair || !TryGetInteger(pair[0], out var shardId) || !TryGetInteger(pair[1], out var shardCount)
                || shardCount < 1 || shardId < 0 || shardId >= shardCount)
            {
                AddProblem(connection, $"sent Identify with shard {shardNode.ToJsonString()}; it must be [shard_id, num_shards] with shard_id < num_shards (closed 4010)");
                await CloseLockedAsync(connection, 4010, "Invalid shard").ConfigureAwait(false);
                return;
            }

            shard = [shardId, shardCount];
        }

        if (data["large_threshold"] is { } threshold && (!TryGetInteger(threshold, out var members) || members is < 50 or > 250))
        {
            AddProblem(connection, $"sent Identify with large_threshold {threshold.ToJsonString()}; it must be 50-250");
        }

        if (data["compress"] is JsonValue compress && compress.TryGetValue(out bool compressed) && compressed)
        {
            AddProblem(connection, "sent Identify with compress:true; this fake sends uncompressed JSON only");
        }

        var now = _time.GetTimestamp();
        bool overRate;
        lock (_lock)
        {
            overRate = _lastIdentifyTimestamp is { } last && _time.GetElapsedTime(last, now) < _options.IdentifyRateLimitWindow;
            if (overRate)
            {
                _problems.Add($"connection {connection.Number}: identified {_time.GetElapsedTime(_lastIdentifyTimestamp!.Value, now).TotalMilliseconds:0} ms after the previous Identify; max_concurrency 1 allows one per {_options.IdentifyRateLimitWindow.TotalSeconds:0.###} s");
            }

            if (_session is { Valid: true, ReconnectRequested: true })
            {
                _problems.Add($"connection {connection.Number}: sent Identify after op 7 Reconnect; the client should Resume session {_session.Id}");
            }
        }

        if (overRate && _options.RejectIdentifiesOverRateLimit)
        {
            connection.Identified = false;
            await SendLockedAsync(connection, Envelope(9, false)).ConfigureAwait(false);
            return;
        }

        JsonObject ready;
        lock (_lock)
        {
            _lastIdentifyTimestamp = now;
            if (_session is not null)
            {
                _session.Valid = false; // a new Identify starts a new session; the old one is no longer resumable here
            }

            var session = new GatewaySession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            _issuedSessionIds.Add(session.Id);
            var readyData = new JsonObject
            {
                ["v"] = 10,
                ["user"] = new JsonObject
                {
                    ["id"] = _options.BotUserId,
                    ["username"] = _options.BotUsername,
                    ["discriminator"] = FakeDiscord.BotDiscriminator,
                    ["global_name"] = null,
                    ["avatar"] = null,
                    ["bot"] = true,
                },
                ["guilds"] = new JsonArray(),
                ["session_id"] = session.Id,
                ["resume_gateway_url"] = ResumeUrl.ToString(),
                ["application"] = new JsonObject { ["id"] = _options.ApplicationId, ["flags"] = _options.ApplicationFlags },
            };
            if (shard is not null)
            {
                readyData["shard"] = shard;
            }

            ready = DispatchPayload("READY", readyData, ++session.Sequence);
            session.Buffer.Add(ready);
            session.Connection = connection;
            _session = session;
            connection.Session = session;
            connection.Authenticated = true;
        }

        await SendLockedAsync(connection, ready).ConfigureAwait(false);
    }

    // Caller holds _gate.
    private async Task ResumeLockedAsync(GatewayConnection connection, JsonObject payload)
    {
        lock (_lock)
        {
            _resumes++;
        }

        if (connection.Identified || connection.Authenticated)
        {
            AddProblem(connection, "sent Resume on a connection that already identified or resumed (closed 4005)");
            await CloseLockedAsync(connection, 4005, "Already authenticated").ConfigureAwait(false);
            return;
        }

        if (!connection.ViaResumeUrl)
        {
            AddProblem(connection, $"sent Resume on a connection to {Url}; Discord wants resumes on resume_gateway_url ({ResumeUrl})");
        }

        if (payload["d"] is not JsonObject data || !IsString(data["session_id"]) || !TryGetInteger(data["seq"], out var sequence))
        {
            AddProblem(connection, "sent Resume without d {token, session_id, seq} (session_id a string, seq an integer) (closed 4002)");
            await CloseLockedAsync(connection, 4002, "Decode error").ConfigureAwait(false);
            return;
        }

        if (!await CheckTokenLockedAsync(connection, data, "Resume").ConfigureAwait(false))
        {
            return;
        }

        var sessionId = data["session_id"]!.GetValue<string>();
        var replay = new List<JsonObject>();
        JsonObject? resumed = null;
        var seqTooHigh = false;
        lock (_lock)
        {
            var session = _session;
            if (session is null || session.Id != sessionId || !session.Valid)
            {
                if (!_issuedSessionIds.Contains(sessionId))
                {
                    _problems.Add($"connection {connection.Number}: resumed session id {sessionId}, which this gateway never issued");
                }
            }
            else if (sequence > session.Sequence)
            {
                _problems.Add($"connection {connection.Number}: resumed with seq {sequence}, but the session has only reached {session.Sequence} (closed 4007)");
                session.Valid = false;
                seqTooHigh = true;
            }
            else
            {
                replay.AddRange(session.Buffer.Where(buffered => buffered["s"]!.GetValue<int>() > sequence));
                // RESUMED takes a sequence number like any dispatch but is not replayed by a later Resume.
                resumed = DispatchPayload("RESUMED", new JsonObject(), ++session.Sequence);
                session.Connection = connection;
                session.ReconnectRequested = false;
                connection.Session = session;
                connection.Authenticated = true;
            }
        }

        if (seqTooHigh)
        {
            await CloseLockedAsync(connection, 4007, "Invalid seq").ConfigureAwait(false);
            return;
        }

        if (resumed is null)
        {
            // Discord answers a Resume of an expired or discarded session with op 9, d:false, and keeps the socket open.
            await SendLockedAsync(connection, Envelope(9, false)).ConfigureAwait(false);
            return;
        }

        foreach (var missed in replay)
        {
            await SendLockedAsync(connection, missed).ConfigureAwait(false);
        }

        await SendLockedAsync(connection, resumed).ConfigureAwait(false);
    }

    // Caller holds _gate. Closes with 4004 and returns false when the token is wrong.
    private async Task<bool> CheckTokenLockedAsync(GatewayConnection connection, JsonObject data, string what)
    {
        var token = IsString(data["token"]) ? data["token"]!.GetValue<string>() : null;
        if (token == _options.ExpectedToken)
        {
            return true;
        }

        if (token is null)
        {
            AddProblem(connection, $"sent {what} without a token string (closed 4004)");
        }
        else if (token.StartsWith("Bot ", StringComparison.Ordinal) && token[4..] == _options.ExpectedToken)
        {
            AddProblem(connection, $"sent {what} with a \"Bot \" prefix on the token; the gateway takes the bare token (closed 4004)");
        }

        await CloseLockedAsync(connection, 4004, "Authentication failed").ConfigureAwait(false);
        return false;
    }
}
