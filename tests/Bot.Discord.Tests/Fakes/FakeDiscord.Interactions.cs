using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

// Interactions: the initial response (POST /interactions/{id}/{token}/callback or an inline HTTP 200 answer),
// then follow-ups and edits on /webhooks/{application_id}/{token}.
public sealed partial class FakeDiscord
{
    private readonly Dictionary<string, FakeInteraction> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeInteraction> _interactionsByToken = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers an interaction as issued now (the 3 s and 15 min deadlines start here). Fills "id",
    /// "application_id", "token" and "version" when absent; "type" is required.
    /// </summary>
    public FakeInteraction NewInteraction(JsonObject interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var payload = (JsonObject)JsonNode.Parse(interaction.ToJsonString())!;
        if (!TryInteger(payload["type"], out _))
        {
            throw new ArgumentException("An interaction needs an integer \"type\".", nameof(interaction));
        }

        payload["id"] ??= Snowflakes.Next();
        payload["application_id"] ??= ApplicationId;
        payload["token"] ??= NewInteractionToken();
        payload["version"] ??= 1;
        lock (_gate)
        {
            var record = new FakeInteraction(_gate, payload, _time.GetUtcNow());
            if (_interactions.ContainsKey(record.Id) || _interactionsByToken.ContainsKey(record.Token))
            {
                throw new ArgumentException($"Interaction {record.Id} (or its token) is already registered.", nameof(interaction));
            }

            _interactions[record.Id] = record;
            _interactionsByToken[record.Token] = record;
            return record;
        }
    }

    /// <summary>The registered interaction with this id.</summary>
    public FakeInteraction Interaction(string interactionId)
    {
        lock (_gate)
        {
            return _interactions.TryGetValue(interactionId, out var interaction)
                ? interaction
                : throw new ArgumentException($"No interaction {interactionId} was registered with NewInteraction.", nameof(interactionId));
        }
    }

    /// <summary>Waits until an initial response to the interaction was accepted (by callback or inline).</summary>
    /// <exception cref="TimeoutException">None was accepted in time; the message says how many were rejected and lists problems.</exception>
    public async Task<FakeInteraction> WaitForInitialResponseAsync(string interactionId, TimeSpan timeout)
    {
        var interaction = Interaction(interactionId);
        try
        {
            await WaitForAsync(_ => interaction.InitialVia is not null, timeout);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException(
                $"No initial response to interaction {interactionId} was accepted within {timeout.TotalSeconds:0.###} s ({interaction.RejectedResponses} rejected).",
                exception);
        }

        return interaction;
    }

    /// <summary>A fresh token shaped like Discord's (long, URL-safe).</summary>
    public static string NewInteractionToken() =>
        "aW50ZXJhY3Rpb246" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(96));

    // Feeds the bot's answer to Discord's signed POST into the interaction's record, with the callback's rules.
    internal void RecordInlineResponse(string interactionId, int status, string responseBody, string? contentType)
    {
        lock (_gate)
        {
            if (!_interactions.TryGetValue(interactionId, out var interaction))
            {
                throw new ArgumentException($"No interaction {interactionId} was registered with NewInteraction.", nameof(interactionId));
            }

            var where = $"inline HTTP answer to interaction {interactionId}";
            var now = _time.GetUtcNow();
            switch (status)
            {
                case 202:
                    if (responseBody.Length > 0)
                    {
                        Problem(where, "a 202 answer (response follows by callback) must have no body");
                    }

                    return;
                case 200:
                    if (!string.Equals(contentType, "application/json", StringComparison.OrdinalIgnoreCase))
                    {
                        Problem(where, $"HTTP 200 answer has Content-Type '{contentType}', not application/json");
                    }

                    JsonNode? json;
                    try
                    {
                        json = JsonNode.Parse(responseBody);
                    }
                    catch (JsonException)
                    {
                        interaction.RejectUnlocked();
                        Problem(where, "HTTP 200 body is not JSON; Discord shows 'This interaction failed'");
                        return;
                    }

                    AcceptInitialResponse(interaction, json, "inline", where, now);
                    return;
                default:
                    interaction.RejectUnlocked();
                    Problem(where, $"the bot answered a correctly signed interaction with HTTP {status}; Discord shows 'This interaction failed'");
                    return;
            }
        }
    }

    private Answer InteractionCallback(Call call, string interactionId, string token)
    {
        if (!_interactions.TryGetValue(interactionId, out var interaction) || interaction.Token != token)
        {
            return Reject(call.Where, 404, 10062, "Unknown interaction", $"no interaction {interactionId} with this token");
        }

        var answer = AcceptInitialResponse(interaction, call.Json, "callback", call.Where, call.At);
        var withResponse = call.QueryValues.TryGetValue("with_response", out var flag) && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
        return answer.Status == 204 && withResponse ? Answer.Ok(CallbackResponse(interaction)) : answer;
    }

    private static JsonObject CallbackResponse(FakeInteraction interaction)
    {
        var original = interaction.OriginalUnlocked?.CurrentUnlocked;
        var resource = new JsonObject { ["type"] = interaction.InitialResponseUnlockedType };
        if (original is not null)
        {
            resource["message"] = original.DeepClone();
        }

        return new JsonObject
        {
            ["interaction"] = new JsonObject
            {
                ["id"] = interaction.Id,
                ["type"] = interaction.Type,
                ["response_message_id"] = original?["id"]?.DeepClone(),
                ["response_message_loading"] = interaction.LoadingUnlocked,
                ["response_message_ephemeral"] = original is not null && TryInteger(original["flags"], out var flags) && (flags & Ephemeral) != 0,
            },
            ["resource"] = resource,
        };
    }

    // Runs under the gate for both paths (callback and inline), so both obey the same rules.
    private Answer AcceptInitialResponse(FakeInteraction interaction, JsonNode? json, string via, string where, DateTimeOffset now)
    {
        if (interaction.AcknowledgedUnlocked)
        {
            interaction.RejectUnlocked();
            return Reject(where, 400, 40060, "Interaction has already been acknowledged.", $"second initial response to interaction {interaction.Id} (the first came by {interaction.InitialViaUnlocked})");
        }

        var elapsed = now - interaction.IssuedAt;
        if (elapsed > InitialResponseDeadline)
        {
            interaction.RejectUnlocked();
            return Reject(where, 404, 10062, "Unknown interaction", $"initial response after {elapsed.TotalSeconds:0.###} s (deadline {InitialResponseDeadline.TotalSeconds:0.###} s): the token is already invalid");
        }

        var errors = new FormErrors();
        if (json is not JsonObject response)
        {
            errors.Add("", "MODEL_TYPE_CONVERT", "An interaction response must be a JSON object {type, data}.");
            interaction.RejectUnlocked();
            return Invalid(where, errors);
        }

        var type = ValidateInteractionResponse(interaction, response, errors);
        if (errors.Any)
        {
            interaction.RejectUnlocked();
            return Invalid(where, errors);
        }

        var data = response["data"] as JsonObject ?? [];
        if (type == 4 && IsEmptyMessage(data))
        {
            interaction.RejectUnlocked();
            return Reject(where, 400, 50006, "Cannot send an empty message", "CHANNEL_MESSAGE_WITH_SOURCE without content, embeds or components");
        }

        var channelId = InteractionChannelId(interaction);
        FakeMessage? original = null;
        switch (type)
        {
            case 4:
                original = new FakeMessage(_gate, NewInteractionMessage(data, channelId, now, interaction.Type == 2 ? 20 : 0), now);
                RecordPings(where, data, parseEverythingByDefault: false);
                break;
            case 5:
                var loading = NewInteractionMessage(new JsonObject { ["content"] = "" }, channelId, now, interaction.Type == 2 ? 20 : 0);
                loading["flags"] = (TryInteger(data["flags"], out var deferFlags) ? deferFlags : 0) | Loading;
                original = new FakeMessage(_gate, loading, now);
                break;
            case 6:
                original = ComponentMessage(interaction, channelId, now);
                break;
            case 7:
                original = ComponentMessage(interaction, channelId, now);
                original.ReplaceUnlocked(Merge(original.CurrentUnlocked, data, now));
                RecordPings(where, data, parseEverythingByDefault: false);
                break;
        }

        interaction.AcceptUnlocked((JsonObject)response.DeepClone(), via, now, original);
        interaction.LoadingUnlocked = type == 5;
        return Answer.NoContent();
    }

    // Returns the callback type (0 when missing) and adds what Discord would refuse.
    private static long ValidateInteractionResponse(FakeInteraction interaction, JsonObject response, FormErrors errors)
    {
        if (!TryInteger(response["type"], out var type))
        {
            errors.Add("type", "BASE_TYPE_REQUIRED", "This field is required.");
            return 0;
        }

        if (type is not (1 or 4 or 5 or 6 or 7 or 8 or 9))
        {
            errors.Add("type", "BASE_TYPE_CHOICES", $"Value must be one of {{1, 4, 5, 6, 7, 8, 9}} (got {type}).");
            return type;
        }

        var payload = interaction.PayloadUnlocked;
        var fromMessage = payload["message"] is JsonObject;
        var fits = type switch
        {
            1 => interaction.Type == 1,
            4 or 5 => interaction.Type is 2 or 3 or 5,
            6 or 7 => interaction.Type == 3 || (interaction.Type == 5 && fromMessage),
            8 => interaction.Type == 4,
            _ => interaction.Type is 2 or 3,
        };
        if (!fits)
        {
            errors.Add("type", "INTERACTION_RESPONSE_TYPE_INVALID", $"Callback type {type} is not valid for interaction type {interaction.Type}.");
            return type;
        }

        var dataNode = response["data"];
        if (dataNode is not null and not JsonObject)
        {
            errors.Add("data", "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
            return type;
        }

        var data = dataNode as JsonObject;
        switch (type)
        {
            case 4 when data is null:
                errors.Add("data", "BASE_TYPE_REQUIRED", "CHANNEL_MESSAGE_WITH_SOURCE needs data.");
                break;
            case 4 or 7 when data is not null:
                ValidateMessage(data, "data", MessageUse.InteractionMessage, errors);
                break;
            case 5 when data is not null:
                foreach (var (key, _) in data)
                {
                    if (key != "flags")
                    {
                        errors.Add(FormErrors.Join("data", key), "INTERACTION_DEFERRED_DATA_INVALID", "A deferred response (type 5) takes only flags; send the message with PATCH @original.");
                    }
                }

                if (data["flags"] is { } flags && (!TryInteger(flags, out var value) || (value & ~(long)Ephemeral) != 0))
                {
                    errors.Add("data.flags", "MESSAGE_FLAGS_INVALID", "With a deferred response the only allowed flag is EPHEMERAL (64).");
                }

                break;
            case 8:
                ValidateAutocompleteChoices(data, FocusedOptionType(payload["data"]?["options"]), errors);
                break;
            case 9:
                ValidateModal(data ?? [], errors);
                break;
        }

        return type;
    }

    private static void ValidateAutocompleteChoices(JsonObject? data, long focusedType, FormErrors errors)
    {
        if (data?["choices"] is not JsonArray choices)
        {
            errors.Add("data.choices", "BASE_TYPE_REQUIRED", "An autocomplete result needs data.choices.");
            return;
        }

        if (choices.Count > 25)
        {
            errors.Add("data.choices", "BASE_TYPE_MAX_LENGTH", $"Must be 25 or fewer in length (got {choices.Count}).");
        }

        for (var i = 0; i < choices.Count; i++)
        {
            CheckChoice(choices[i] as JsonObject ?? [], FormErrors.Join("data.choices", i), focusedType, errors);
        }
    }

    private static long FocusedOptionType(JsonNode? options)
    {
        foreach (var option in (options as JsonArray ?? []).OfType<JsonObject>())
        {
            if (TryBool(option["focused"], out var focused) && focused)
            {
                return TryInteger(option["type"], out var type) ? type : 0;
            }

            var nested = FocusedOptionType(option["options"]);
            if (nested != 0)
            {
                return nested;
            }
        }

        return 0;
    }

    private static void ValidateModal(JsonObject data, FormErrors errors)
    {
        CheckText(data["custom_id"], "data.custom_id", 100, required: true, errors);
        CheckText(data["title"], "data.title", 45, required: true, errors);
        if (data["components"] is not JsonArray components || components.Count is < 1 or > 5)
        {
            errors.Add("data.components", "BASE_TYPE_BAD_LENGTH", "A modal needs 1 to 5 components.");
            return;
        }

        var customIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < components.Count; i++)
        {
            var path = FormErrors.Join("data.components", i);
            var component = components[i] as JsonObject ?? [];
            var inputs = TypeOf(component) switch
            {
                1 => (component["components"] as JsonArray ?? []).OfType<JsonObject>().ToList(),
                18 => component["component"] is JsonObject inner ? [inner] : [],
                10 => [],
                _ => null,
            };
            if (inputs is null)
            {
                errors.Add(FormErrors.Join(path, "type"), "COMPONENT_TYPE_INVALID", $"Component type {TypeOf(component)} cannot be at the top of a modal.");
                continue;
            }

            if (TypeOf(component) == 18)
            {
                CheckText(component["label"], FormErrors.Join(path, "label"), 45, required: true, errors);
            }

            foreach (var input in inputs.Where(c => TypeOf(c) == 4))
            {
                CheckCustomId(input, path, customIds, errors);
                var style = TryInteger(input["style"], out var s) ? s : 0;
                if (style is not (1 or 2))
                {
                    errors.Add(FormErrors.Join(path, "style"), "BASE_TYPE_CHOICES", "A text input's style must be 1 (short) or 2 (paragraph).");
                }

                CheckText(input["value"], FormErrors.Join(path, "value"), 4000, required: false, errors);
                CheckText(input["placeholder"], FormErrors.Join(path, "placeholder"), 100, required: false, errors);
                var min = TryInteger(input["min_length"], out var minLength) ? minLength : 0;
                var max = TryInteger(input["max_length"], out var maxLength) ? maxLength : 4000;
                if (min is < 0 or > 4000 || max is < 1 or > 4000 || min > max)
                {
                    errors.Add(FormErrors.Join(path, "min_length"), "BASE_TYPE_BAD_INT", "Need 0 <= min_length <= max_length <= 4000 and max_length >= 1.");
                }
            }
        }
    }

    private Answer Followup(Call call, string applicationId, string token)
    {
        if (!TryWebhookInteraction(call, applicationId, token, out var interaction, out var refusal))
        {
            return refusal;
        }

        if (call.Json is not JsonObject body)
        {
            return Reject(call.Where, 400, 50006, "Cannot send an empty message", "no JSON object body");
        }

        var errors = new FormErrors();
        ValidateMessage(body, "", MessageUse.Followup, errors);
        if (call.QueryValues.ContainsKey("thread_id"))
        {
            errors.Add("thread_id", "INTERACTION_FOLLOWUP_THREAD_INVALID", "thread_id is not supported for interaction follow-ups.");
        }

        if (errors.Any)
        {
            return Invalid(call.Where, errors);
        }

        if (IsEmptyMessage(body))
        {
            return Reject(call.Where, 400, 50006, "Cannot send an empty message", "follow-up without content, embeds or components");
        }

        RecordPings(call.Where, body, parseEverythingByDefault: false);
        if (interaction.LoadingUnlocked && interaction.OriginalUnlocked is { } loadingMessage)
        {
            Problem(call.Where, "follow-up sent while the deferred response is still loading: Discord edits the loading message instead (deprecated); use PATCH /webhooks/{app}/{token}/messages/@original");
            loadingMessage.ReplaceUnlocked(Merge(loadingMessage.CurrentUnlocked, body, call.At));
            interaction.LoadingUnlocked = false;
            return Answer.Ok(loadingMessage.CurrentUnlocked.DeepClone());
        }

        var message = NewInteractionMessage(body, InteractionChannelId(interaction), call.At, messageType: 0);
        interaction.FollowupsUnlocked.Add(new FakeMessage(_gate, message, call.At));
        return Answer.Ok(message.DeepClone());
    }

    private Answer WebhookMessage(Call call, string applicationId, string token, string messageId)
    {
        if (!TryWebhookInteraction(call, applicationId, token, out var interaction, out var refusal))
        {
            return refusal;
        }

        var original = interaction.OriginalUnlocked;
        var message = messageId == "@original" || messageId == original?.Id
            ? original
            : interaction.FollowupsUnlocked.FirstOrDefault(m => m.Id == messageId);
        if (message is null || message.DeletedUnlocked)
        {
            return Reject(call.Where, 404, 10008, "Unknown Message", messageId == "@original"
                ? $"interaction {interaction.Id}'s initial response (type {interaction.InitialResponseUnlockedType}) has no message (or it was deleted)"
                : $"no message {messageId} belongs to interaction {interaction.Id}");
        }

        switch (call.Method)
        {
            case "GET":
                return Answer.Ok(message.CurrentUnlocked.DeepClone());
            case "PATCH":
                var answer = ApplyEdit(call.Where, message, call.Json, MessageUse.WebhookEdit, call.At, parseEverythingByDefault: false);
                if (answer.Status == 200 && message == original)
                {
                    interaction.LoadingUnlocked = false;
                }

                return answer;
            case "DELETE":
                message.DeleteUnlocked();
                if (message == original)
                {
                    // A deleted loading message is no longer loading: a follow-up now creates a new message.
                    interaction.LoadingUnlocked = false;
                }

                return Answer.NoContent();
            default:
                return MethodNotAllowed(call);
        }
    }

    private bool TryWebhookInteraction(
        Call call,
        string applicationId,
        string token,
        [NotNullWhen(true)] out FakeInteraction? interaction,
        [NotNullWhen(false)] out Answer? refusal)
    {
        interaction = null;
        refusal = null;
        if (applicationId != ApplicationId || !_interactionsByToken.TryGetValue(token, out var found))
        {
            refusal = Reject(call.Where, 404, 10015, "Unknown Webhook", "unknown application id or interaction token");
            return false;
        }

        var age = call.At - found.IssuedAt;
        if (age > InteractionTokenLifetime)
        {
            refusal = Reject(call.Where, 401, 50027, "Invalid Webhook Token", $"interaction {found.Id}'s token used {age.TotalMinutes:0.#} min after the interaction; tokens live {InteractionTokenLifetime.TotalMinutes:0.#} min");
            return false;
        }

        if (!found.AcknowledgedUnlocked)
        {
            refusal = Reject(call.Where, 404, 10015, "Unknown Webhook", $"interaction {found.Id} has no accepted initial response yet; webhook routes work only after it");
            return false;
        }

        interaction = found;
        return true;
    }

    // The message a component interaction came from: the channel's record if the fake knows it, else a copy of the payload's.
    // Only types 6 and 7 ask for it, which fit only a component (or a modal submitted from a message): the message exists at
    // Discord even when the payload lacks it (a test's mutation), so a missing one is made up like a missing id.
    private FakeMessage ComponentMessage(FakeInteraction interaction, string channelId, DateTimeOffset now)
    {
        var shown = interaction.PayloadUnlocked["message"] as JsonObject ?? [];
        var messageId = StringOrNull(shown["id"]);
        var messageChannel = StringOrNull(shown["channel_id"]) ?? channelId;
        if (_channels.TryGetValue(messageChannel, out var channel)
            && channel.Messages.FirstOrDefault(m => m.Id == messageId && !m.DeletedUnlocked) is { } known)
        {
            return known;
        }

        // Discord's own record of the message has a string id and channel id; a payload whose copy does not (a test's
        // mutation) gets a fresh id and the interaction's channel, as for missing fields, rather than failing the answer.
        var copy = (JsonObject)shown.DeepClone();
        copy["id"] = messageId ?? Snowflakes.Next();
        copy["channel_id"] = messageChannel;
        copy["flags"] ??= 0;
        return new FakeMessage(_gate, copy, now);
    }

    private static string InteractionChannelId(FakeInteraction interaction) =>
        StringOrNull(interaction.PayloadUnlocked["channel_id"]) ?? (interaction.PayloadUnlocked["channel"] is JsonObject channel ? StringOrNull(channel["id"]) : null) ?? "0";

    private static JsonObject NewInteractionMessage(JsonObject data, string channelId, DateTimeOffset now, int messageType)
    {
        var message = NewMessageObject(data, channelId, now);
        message["type"] = messageType;
        message["webhook_id"] = ApplicationId;
        message["application_id"] = ApplicationId;
        return message;
    }
}
