using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Discord.Tests.Fakes;

// Message, embed, component and allowed_mentions rules (Discord's "Create Message", "Embed Limits",
// "Component Reference" and "Allowed Mentions Object"), and who a message would ping.
public sealed partial class FakeDiscord
{
    private const int SuppressEmbeds = 1 << 2;
    private const int Ephemeral = 1 << 6;
    private const int Loading = 1 << 7;
    private const int SuppressNotifications = 1 << 12;
    private const int IsVoiceMessage = 1 << 13;
    private const int IsComponentsV2 = 1 << 15;

    private static readonly Regex MentionPattern = new(@"@everyone|@here|<@!?(?<user>\d+)>|<@&(?<role>\d+)>", RegexOptions.CultureInvariant);

    private static readonly string[] MentionTypes = ["roles", "users", "everyone"];

    private enum MessageUse
    {
        ChannelCreate,
        ChannelEdit,
        InteractionMessage,
        Followup,
        WebhookEdit,
    }

    private static int AllowedFlags(MessageUse use) => use switch
    {
        MessageUse.ChannelCreate => SuppressEmbeds | SuppressNotifications | IsVoiceMessage | IsComponentsV2,
        MessageUse.ChannelEdit => SuppressEmbeds | SuppressNotifications | IsComponentsV2,
        MessageUse.InteractionMessage or MessageUse.Followup => SuppressEmbeds | Ephemeral | SuppressNotifications | IsVoiceMessage | IsComponentsV2,
        _ => SuppressEmbeds | Ephemeral | SuppressNotifications | IsComponentsV2,
    };

    private static void ValidateMessage(JsonObject body, string prefix, MessageUse use, FormErrors errors)
    {
        var content = body["content"];
        if (content is not null)
        {
            if (!TryString(content, out var text))
            {
                errors.Add(FormErrors.Join(prefix, "content"), "BASE_TYPE_STRING", "Must be a string.");
            }
            else if (Length(text) > 2000)
            {
                errors.Add(FormErrors.Join(prefix, "content"), "BASE_TYPE_MAX_LENGTH", $"Must be 2000 or fewer in length (got {Length(text)}).");
            }
        }

        if (body["tts"] is { } tts && !TryBool(tts, out _))
        {
            errors.Add(FormErrors.Join(prefix, "tts"), "BASE_TYPE_BOOLEAN", "Must be either true or false.");
        }

        long flags = 0;
        if (body["flags"] is { } flagsNode)
        {
            if (!TryInteger(flagsNode, out flags))
            {
                errors.Add(FormErrors.Join(prefix, "flags"), "NUMBER_TYPE_COERCE", "Value is not int.");
            }
            else if ((flags & ~(long)AllowedFlags(use)) != 0)
            {
                errors.Add(FormErrors.Join(prefix, "flags"), "MESSAGE_FLAGS_INVALID", $"Flags {flags & ~(long)AllowedFlags(use)} may not be set here ({DescribeUse(use)}).");
            }
        }

        var componentsV2 = (flags & IsComponentsV2) != 0;
        if (componentsV2)
        {
            if (TryString(body["content"], out var text) && text.Length > 0)
            {
                errors.Add(FormErrors.Join(prefix, "content"), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "content cannot be used with IS_COMPONENTS_V2.");
            }

            if (body["embeds"] is JsonArray { Count: > 0 })
            {
                errors.Add(FormErrors.Join(prefix, "embeds"), "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2", "embeds cannot be used with IS_COMPONENTS_V2.");
            }
        }

        ValidateEmbeds(body["embeds"], FormErrors.Join(prefix, "embeds"), errors);
        ValidateComponents(body["components"], FormErrors.Join(prefix, "components"), componentsV2, errors);
        ValidateAllowedMentions(body["allowed_mentions"], FormErrors.Join(prefix, "allowed_mentions"), errors);

        if (use == MessageUse.ChannelCreate)
        {
            if (body["nonce"] is { } nonce)
            {
                if (TryString(nonce, out var nonceText))
                {
                    if (nonceText.Length > 25)
                    {
                        errors.Add(FormErrors.Join(prefix, "nonce"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
                    }
                }
                else if (!TryInteger(nonce, out _))
                {
                    errors.Add(FormErrors.Join(prefix, "nonce"), "BASE_TYPE_STRING", "Must be a string or an integer.");
                }
            }

            if (body["enforce_nonce"] is { } enforce && !TryBool(enforce, out _))
            {
                errors.Add(FormErrors.Join(prefix, "enforce_nonce"), "BASE_TYPE_BOOLEAN", "Must be either true or false.");
            }

            if (body["message_reference"] is { } reference
                && (reference is not JsonObject referenceObject || !Snowflakes.IsSnowflake(StringOrNull(referenceObject["message_id"]))))
            {
                errors.Add(FormErrors.Join(prefix, "message_reference"), "BASE_TYPE_REQUIRED", "message_reference needs a message_id snowflake.");
            }
        }

        if (body["sticker_ids"] is JsonArray { Count: > 3 })
        {
            errors.Add(FormErrors.Join(prefix, "sticker_ids"), "BASE_TYPE_MAX_LENGTH", "Must be 3 or fewer in length.");
        }
    }

    private static string DescribeUse(MessageUse use) => use switch
    {
        MessageUse.ChannelCreate => "Create Message allows only SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2; EPHEMERAL only works in interaction responses",
        MessageUse.ChannelEdit => "Edit Message",
        MessageUse.InteractionMessage => "interaction response",
        MessageUse.Followup => "follow-up",
        _ => "webhook message edit",
    };

    private static bool IsEmptyMessage(JsonObject message) =>
        string.IsNullOrWhiteSpace(StringOrNull(message["content"]))
        && message["embeds"] is not JsonArray { Count: > 0 }
        && message["components"] is not JsonArray { Count: > 0 }
        && message["sticker_ids"] is not JsonArray { Count: > 0 }
        && message["attachments"] is not JsonArray { Count: > 0 }
        && message["poll"] is null;

    private static void ValidateEmbeds(JsonNode? node, string path, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray embeds)
        {
            errors.Add(path, "BASE_TYPE_ARRAY", "Must be an array.");
            return;
        }

        if (embeds.Count > 10)
        {
            errors.Add(path, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
        }

        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var embedPath = FormErrors.Join(path, i);
            if (embeds[i] is not JsonObject embed)
            {
                errors.Add(embedPath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
                continue;
            }

            total += CheckText(embed["title"], FormErrors.Join(embedPath, "title"), 256, required: false, errors);
            total += CheckText(embed["description"], FormErrors.Join(embedPath, "description"), 4096, required: false, errors);
            if (embed["footer"] is JsonObject footer)
            {
                total += CheckText(footer["text"], FormErrors.Join(embedPath, "footer.text"), 2048, required: true, errors);
            }

            if (embed["author"] is JsonObject author)
            {
                total += CheckText(author["name"], FormErrors.Join(embedPath, "author.name"), 256, required: true, errors);
            }

            if (embed["fields"] is { } fieldsNode)
            {
                var fieldsPath = FormErrors.Join(embedPath, "fields");
                if (fieldsNode is not JsonArray fields)
                {
                    errors.Add(fieldsPath, "BASE_TYPE_ARRAY", "Must be an array.");
                    continue;
                }

                if (fields.Count > 25)
                {
                    errors.Add(fieldsPath, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
                }

                for (var j = 0; j < fields.Count; j++)
                {
                    var fieldPath = FormErrors.Join(fieldsPath, j);
                    if (fields[j] is not JsonObject field)
                    {
                        errors.Add(fieldPath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
                        continue;
                    }

                    total += CheckText(field["name"], FormErrors.Join(fieldPath, "name"), 256, required: true, errors);
                    total += CheckText(field["value"], FormErrors.Join(fieldPath, "value"), 1024, required: true, errors);
                }
            }
        }

        if (total > 6000)
        {
            errors.Add(path, "BASE_TYPE_MAX_LENGTH", $"Embed size exceeds maximum size of 6000 (all embeds together have {total} characters).");
        }
    }

    // Returns the text's length so callers can total it.
    private static int CheckText(JsonNode? node, string path, int max, bool required, FormErrors errors, int min = 1)
    {
        if (node is null)
        {
            if (required)
            {
                errors.Add(path, "BASE_TYPE_REQUIRED", "This field is required.");
            }

            return 0;
        }

        if (!TryString(node, out var text))
        {
            errors.Add(path, "BASE_TYPE_STRING", "Must be a string.");
            return 0;
        }

        var length = Length(text);
        if (length > max)
        {
            errors.Add(path, "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length (got {length}).");
        }
        else if (length < min && (required || min > 1))
        {
            errors.Add(path, "BASE_TYPE_BAD_LENGTH", $"Must be between {min} and {max} in length.");
        }

        return length;
    }

    private static void ValidateComponents(JsonNode? node, string path, bool componentsV2, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray components)
        {
            errors.Add(path, "BASE_TYPE_ARRAY", "Must be an array.");
            return;
        }

        var customIds = new HashSet<string>(StringComparer.Ordinal);
        if (!componentsV2)
        {
            if (components.Count > 5)
            {
                errors.Add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length (action rows; without IS_COMPONENTS_V2).");
            }

            for (var i = 0; i < components.Count; i++)
            {
                var rowPath = FormErrors.Join(path, i);
                if (components[i] is not JsonObject row || TypeOf(row) != 1)
                {
                    errors.Add(rowPath, "COMPONENT_LAYOUT_INVALID", "Top-level components must be action rows (type 1) unless IS_COMPONENTS_V2 is set.");
                    continue;
                }

                ValidateActionRow(row, rowPath, customIds, errors);
            }

            return;
        }

        var count = 0;
        foreach (var (component, componentPath) in Walk(components, path))
        {
            count++;
            ValidateComponent(component, componentPath, customIds, errors);
        }

        if (count > 40)
        {
            errors.Add(path, "BASE_TYPE_MAX_LENGTH", $"A components-v2 message may hold at most 40 components (got {count}).");
        }
    }

    // Every component object of a components-v2 tree, parents before children.
    private static IEnumerable<(JsonObject Component, string Path)> Walk(JsonArray components, string path)
    {
        for (var i = 0; i < components.Count; i++)
        {
            var itemPath = FormErrors.Join(path, i);
            if (components[i] is not JsonObject component)
            {
                continue;
            }

            yield return (component, itemPath);
            if (TypeOf(component) != 1 && component["components"] is JsonArray children)
            {
                foreach (var child in Walk(children, FormErrors.Join(itemPath, "components")))
                {
                    yield return child;
                }
            }

            if (component["accessory"] is JsonObject accessory)
            {
                yield return (accessory, FormErrors.Join(itemPath, "accessory"));
            }
        }
    }

    private static void ValidateComponent(JsonObject component, string path, HashSet<string> customIds, FormErrors errors)
    {
        switch (TypeOf(component))
        {
            case 1:
                ValidateActionRow(component, path, customIds, errors);
                break;
            case 2:
                ValidateButton(component, path, customIds, errors);
                break;
            case 3 or 5 or 6 or 7 or 8:
                ValidateSelect(component, path, customIds, errors);
                break;
            case 9 or 10 or 11 or 12 or 13 or 14 or 17:
                break;
            case 4 or 18 or 19 or 21 or 22 or 23:
                errors.Add(FormErrors.Join(path, "type"), "COMPONENT_TYPE_INVALID", $"Component type {TypeOf(component)} is only allowed in modals.");
                break;
            default:
                errors.Add(FormErrors.Join(path, "type"), "COMPONENT_TYPE_INVALID", $"Unknown component type {TypeOf(component)}.");
                break;
        }
    }

    private static void ValidateActionRow(JsonObject row, string path, HashSet<string> customIds, FormErrors errors)
    {
        var childrenPath = FormErrors.Join(path, "components");
        if (row["components"] is not JsonArray children || children.Count == 0)
        {
            errors.Add(childrenPath, "BASE_TYPE_BAD_LENGTH", "An action row needs 1 to 5 components.");
            return;
        }

        var types = children.OfType<JsonObject>().Select(TypeOf).ToList();
        var buttons = types.Count(t => t == 2);
        var selects = types.Count(t => t is 3 or 5 or 6 or 7 or 8);
        if (buttons > 5)
        {
            errors.Add(childrenPath, "BASE_TYPE_MAX_LENGTH", $"An action row holds at most 5 buttons (got {buttons}).");
        }

        if (selects > 0 && children.Count > 1)
        {
            errors.Add(childrenPath, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select menu must be alone in its action row.");
        }

        for (var i = 0; i < children.Count; i++)
        {
            var childPath = FormErrors.Join(childrenPath, i);
            if (children[i] is not JsonObject child)
            {
                errors.Add(childPath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
                continue;
            }

            switch (TypeOf(child))
            {
                case 2:
                    ValidateButton(child, childPath, customIds, errors);
                    break;
                case 3 or 5 or 6 or 7 or 8:
                    ValidateSelect(child, childPath, customIds, errors);
                    break;
                case 4:
                    errors.Add(FormErrors.Join(childPath, "type"), "COMPONENT_TYPE_INVALID", "Text inputs are only allowed in modals.");
                    break;
                default:
                    errors.Add(FormErrors.Join(childPath, "type"), "COMPONENT_TYPE_INVALID", $"Component type {TypeOf(child)} cannot be inside an action row.");
                    break;
            }
        }
    }

    private static void ValidateButton(JsonObject button, string path, HashSet<string> customIds, FormErrors errors)
    {
        var style = TryInteger(button["style"], out var value) ? value : 0;
        if (style is < 1 or > 6)
        {
            errors.Add(FormErrors.Join(path, "style"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.");
            return;
        }

        CheckText(button["label"], FormErrors.Join(path, "label"), 80, required: false, errors);
        switch (style)
        {
            case 5:
                CheckText(button["url"], FormErrors.Join(path, "url"), 512, required: true, errors);
                if (button["custom_id"] is not null)
                {
                    errors.Add(FormErrors.Join(path, "custom_id"), "BUTTON_COMPONENT_CUSTOM_ID_INVALID", "A link button (style 5) cannot have a custom_id.");
                }

                break;
            case 6:
                if (button["sku_id"] is null)
                {
                    errors.Add(FormErrors.Join(path, "sku_id"), "BASE_TYPE_REQUIRED", "A premium button (style 6) needs sku_id.");
                }

                break;
            default:
                CheckCustomId(button, path, customIds, errors);
                if (button["url"] is not null)
                {
                    errors.Add(FormErrors.Join(path, "url"), "BUTTON_COMPONENT_URL_INVALID", $"A button of style {style} cannot have a url.");
                }

                break;
        }

        if (style != 6 && button["label"] is null && button["emoji"] is null)
        {
            errors.Add(path, "BUTTON_COMPONENT_INVALID", "A button needs a label or an emoji.");
        }
    }

    private static void ValidateSelect(JsonObject select, string path, HashSet<string> customIds, FormErrors errors)
    {
        CheckCustomId(select, path, customIds, errors);
        CheckText(select["placeholder"], FormErrors.Join(path, "placeholder"), 150, required: false, errors);
        var minValues = TryInteger(select["min_values"], out var min) ? min : 1;
        var maxValues = TryInteger(select["max_values"], out var max) ? max : 1;
        if (minValues is < 0 or > 25 || maxValues is < 1 or > 25 || minValues > maxValues)
        {
            errors.Add(FormErrors.Join(path, "min_values"), "BASE_TYPE_BAD_INT", "Need 0 <= min_values <= max_values <= 25 and max_values >= 1.");
        }

        if (TypeOf(select) != 3)
        {
            return;
        }

        var optionsPath = FormErrors.Join(path, "options");
        if (select["options"] is not JsonArray options || options.Count is < 1 or > 25)
        {
            errors.Add(optionsPath, "BASE_TYPE_BAD_LENGTH", "A string select needs 1 to 25 options.");
            return;
        }

        for (var i = 0; i < options.Count; i++)
        {
            var optionPath = FormErrors.Join(optionsPath, i);
            var option = options[i] as JsonObject ?? [];
            CheckText(option["label"], FormErrors.Join(optionPath, "label"), 100, required: true, errors);
            CheckText(option["value"], FormErrors.Join(optionPath, "value"), 100, required: true, errors);
            CheckText(option["description"], FormErrors.Join(optionPath, "description"), 100, required: false, errors);
        }
    }

    private static void CheckCustomId(JsonObject component, string path, HashSet<string> customIds, FormErrors errors)
    {
        var customIdPath = FormErrors.Join(path, "custom_id");
        CheckText(component["custom_id"], customIdPath, 100, required: true, errors);
        if (TryString(component["custom_id"], out var customId) && customId.Length > 0 && !customIds.Add(customId))
        {
            errors.Add(customIdPath, "COMPONENT_CUSTOM_ID_DUPLICATED", $"custom_id '{customId}' is used twice in this message.");
        }
    }

    private static void ValidateAllowedMentions(JsonNode? node, string path, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject allowed)
        {
            errors.Add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
            return;
        }

        var parse = new HashSet<string>(StringComparer.Ordinal);
        if (allowed["parse"] is { } parseNode)
        {
            if (parseNode is not JsonArray parseList)
            {
                errors.Add(FormErrors.Join(path, "parse"), "BASE_TYPE_ARRAY", "Must be an array.");
            }
            else
            {
                foreach (var item in parseList)
                {
                    if (TryString(item, out var type) && MentionTypes.Contains(type))
                    {
                        parse.Add(type);
                    }
                    else
                    {
                        errors.Add(FormErrors.Join(path, "parse"), "BASE_TYPE_CHOICES", $"Value must be one of {{'roles', 'users', 'everyone'}} (got {item?.ToJsonString()}).");
                    }
                }
            }
        }

        foreach (var list in new[] { "users", "roles" })
        {
            if (allowed[list] is not { } listNode)
            {
                continue;
            }

            var listPath = FormErrors.Join(path, list);
            if (listNode is not JsonArray ids || ids.Count > 100 || ids.Any(id => !Snowflakes.IsSnowflake(StringOrNull(id))))
            {
                errors.Add(listPath, "BASE_TYPE_BAD_LENGTH", "Must be an array of at most 100 snowflake strings.");
            }

            if (parse.Contains(list))
            {
                errors.Add(listPath, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", $"parse:[\"{list}\"] and {list}: [ids...] are mutually exclusive.");
            }
        }

        if (allowed["replied_user"] is { } replied && !TryBool(replied, out _))
        {
            errors.Add(FormErrors.Join(path, "replied_user"), "BASE_TYPE_BOOLEAN", "Must be either true or false.");
        }
    }

    // Runs under the gate. Channel messages parse every mention type by default; interaction responses and
    // webhooks parse only users. Mentions inside embeds never ping.
    private void RecordPings(string where, JsonObject message, bool parseEverythingByDefault)
    {
        if (!TryString(message["content"], out var content))
        {
            return;
        }

        var allowed = message["allowed_mentions"] as JsonObject;
        var parse = allowed is null
            ? (parseEverythingByDefault ? MentionTypes.ToHashSet(StringComparer.Ordinal) : new HashSet<string>(["users"], StringComparer.Ordinal))
            : Strings(allowed["parse"]).ToHashSet(StringComparer.Ordinal);
        var users = Strings(allowed?["users"]).ToHashSet(StringComparer.Ordinal);
        var roles = Strings(allowed?["roles"]).ToHashSet(StringComparer.Ordinal);

        foreach (Match mention in MentionPattern.Matches(content))
        {
            var pings = mention.Groups["user"].Success ? parse.Contains("users") || users.Contains(mention.Groups["user"].Value)
                : mention.Groups["role"].Success ? parse.Contains("roles") || roles.Contains(mention.Groups["role"].Value)
                : parse.Contains("everyone");
            if (pings)
            {
                _pings.Add(new FakePing(where, mention.Value));
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(StringOrNull).OfType<string>() : [];

    private static int TypeOf(JsonObject component) => TryInteger(component["type"], out var type) ? (int)type : 0;

    private static int Length(string text) => text.EnumerateRunes().Count();

    private static string? StringOrNull(JsonNode? node) => TryString(node, out var text) ? text : null;

    private static bool TryString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = "";
        return false;
    }

    private static bool TryInteger(JsonNode? node, out long number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out number);
    }

    private static bool TryNumber(JsonNode? node, out double number)
    {
        number = 0;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out number);
    }

    private static bool TryBool(JsonNode? node, out bool flag)
    {
        flag = false;
        return node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False && value.TryGetValue(out flag);
    }
}
