using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// Checks message blocks against the Block Kit limits Slack enforces (the protocol brief, section 6): 50 blocks,
/// text objects 1–3000 characters, section fields ≤10 × ≤2000, header plain_text ≤150, actions ≤25 elements,
/// context ≤10 elements, button text plain_text ≤75, value ≤2000, url ≤3000, block_id/action_id ≤255 with
/// action_id unique within a block and block_id unique within the message. Each error names its path.
/// </summary>
public static class BlockKitValidator
{
    /// <summary>Blocks allowed in one message.</summary>
    public const int MaxMessageBlocks = 50;

    private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal) { "plain_text", "mrkdwn" };

    /// <summary>Returns the violations in <paramref name="blocks"/> (empty when Slack would accept them).</summary>
    public static IReadOnlyList<string> Validate(JsonNode? blocks, int maxBlocks = MaxMessageBlocks)
    {
        var errors = new List<string>();
        if (blocks is not JsonArray array)
        {
            errors.Add("blocks must be an array");
            return errors;
        }

        if (array.Count > maxBlocks)
        {
            errors.Add(Invariant($"blocks: {array.Count} blocks, more than {maxBlocks}"));
        }

        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            Block(array[i], Invariant($"blocks[{i}]"), errors, blockIds);
        }

        return errors;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static void Block(JsonNode? node, string path, List<string> errors, HashSet<string> blockIds)
    {
        if (node is not JsonObject block)
        {
            errors.Add($"{path}: a block must be an object");
            return;
        }

        if (block["block_id"] is not null)
        {
            var blockId = Str(block, "block_id");
            if (string.IsNullOrEmpty(blockId) || blockId.Length > 255)
            {
                errors.Add($"{path}.block_id: must be a string of 1-255 characters");
            }
            else if (!blockIds.Add(blockId))
            {
                errors.Add($"{path}.block_id: '{blockId}' is used by another block in the message");
            }
        }

        var type = Str(block, "type");
        switch (type)
        {
            case "section":
                if (block["text"] is null && block["fields"] is null)
                {
                    errors.Add($"{path}: a section needs text or fields");
                }

                if (block["text"] is not null)
                {
                    Text(block["text"], $"{path}.text", 3000, null, errors);
                }

                if (block["fields"] is not null)
                {
                    Items(block, "fields", path, 1, 10, errors, (item, itemPath) => Text(item, itemPath, 2000, null, errors));
                }

                if (block["accessory"] is not null)
                {
                    Element(block["accessory"], $"{path}.accessory", errors, new HashSet<string>(StringComparer.Ordinal));
                }

                break;
            case "header":
                Text(block["text"], $"{path}.text", 150, "plain_text", errors);
                break;
            case "divider":
                break;
            case "actions":
                var actionIds = new HashSet<string>(StringComparer.Ordinal);
                Items(block, "elements", path, 1, 25, errors, (item, itemPath) => Element(item, itemPath, errors, actionIds));
                break;
            case "context":
                Items(block, "elements", path, 1, 10, errors, (item, itemPath) =>
                {
                    if (item is JsonObject element && Str(element, "type") == "image")
                    {
                        Image(element, itemPath, errors);
                    }
                    else
                    {
                        Text(item, itemPath, 3000, null, errors);
                    }
                });
                break;
            case "image":
                Image(block, path, errors);
                if (block["title"] is not null)
                {
                    Text(block["title"], $"{path}.title", 2000, "plain_text", errors);
                }

                break;
            case "markdown":
                var markdown = Str(block, "text");
                if (string.IsNullOrEmpty(markdown) || markdown.Length > 12_000)
                {
                    errors.Add($"{path}.text: a markdown block needs text of 1-12000 characters");
                }

                break;
            case "rich_text":
                if (block["elements"] is not JsonArray)
                {
                    errors.Add($"{path}.elements: a rich_text block needs an elements array");
                }

                break;
            case "input":
                Text(block["label"], $"{path}.label", 2000, "plain_text", errors);
                if (block["element"] is null)
                {
                    errors.Add($"{path}.element: an input block needs an element");
                }

                break;
            case "file":
            case "video":
                break;
            default:
                errors.Add($"{path}.type: unknown block type '{type}'");
                break;
        }
    }

    private static void Items(JsonObject owner, string name, string path, int min, int max, List<string> errors, Action<JsonNode?, string> each)
    {
        if (owner[name] is not JsonArray items)
        {
            errors.Add($"{path}.{name}: must be an array");
            return;
        }

        if (items.Count < min || items.Count > max)
        {
            errors.Add(Invariant($"{path}.{name}: {items.Count} items, allowed {min}-{max}"));
        }

        for (var i = 0; i < items.Count; i++)
        {
            each(items[i], Invariant($"{path}.{name}[{i}]"));
        }
    }

    private static void Text(JsonNode? node, string path, int maxLength, string? requiredType, List<string> errors)
    {
        if (node is not JsonObject text)
        {
            errors.Add($"{path}: must be a text object");
            return;
        }

        var type = Str(text, "type");
        if (type is null || !TextTypes.Contains(type))
        {
            errors.Add($"{path}.type: must be plain_text or mrkdwn");
        }
        else if (requiredType is not null && type != requiredType)
        {
            errors.Add($"{path}.type: must be {requiredType}");
        }

        var value = Str(text, "text");
        var limit = Math.Min(maxLength, 3000);
        if (string.IsNullOrEmpty(value) || value.Length > limit)
        {
            errors.Add(Invariant($"{path}.text: must be 1-{limit} characters (got {value?.Length ?? 0})"));
        }

        if (type == "mrkdwn" && text["emoji"] is not null)
        {
            errors.Add($"{path}.emoji: only plain_text takes emoji");
        }

        if (type == "plain_text" && text["verbatim"] is not null)
        {
            errors.Add($"{path}.verbatim: only mrkdwn takes verbatim");
        }
    }

    private static void Image(JsonObject image, string path, List<string> errors)
    {
        var url = Str(image, "image_url");
        if (url is null && image["slack_file"] is null)
        {
            errors.Add($"{path}: an image needs image_url or slack_file");
        }
        else if (url is { Length: > 3000 })
        {
            errors.Add($"{path}.image_url: longer than 3000 characters");
        }

        var alt = Str(image, "alt_text");
        if (string.IsNullOrEmpty(alt) || alt.Length > 2000)
        {
            errors.Add($"{path}.alt_text: must be 1-2000 characters");
        }
    }

    private static void Element(JsonNode? node, string path, List<string> errors, HashSet<string> actionIds)
    {
        if (node is not JsonObject element)
        {
            errors.Add($"{path}: an element must be an object");
            return;
        }

        if (element["action_id"] is not null)
        {
            var actionId = Str(element, "action_id");
            if (string.IsNullOrEmpty(actionId) || actionId.Length > 255)
            {
                errors.Add($"{path}.action_id: must be a string of 1-255 characters");
            }
            else if (!actionIds.Add(actionId))
            {
                errors.Add($"{path}.action_id: '{actionId}' is used by another element in the block");
            }
        }

        var type = Str(element, "type");
        switch (type)
        {
            case "button":
                Text(element["text"], $"{path}.text", 75, "plain_text", errors);
                MaxLength(element, "value", 2000, path, errors);
                MaxLength(element, "url", 3000, path, errors);
                if (element["style"] is not null && Str(element, "style") is not ("primary" or "danger"))
                {
                    errors.Add($"{path}.style: must be primary or danger");
                }

                Confirm(element, path, errors);
                break;
            case "static_select":
            case "multi_static_select":
                Placeholder(element, path, errors);
                var hasOptions = element["options"] is not null;
                var hasGroups = element["option_groups"] is not null;
                if (hasOptions == hasGroups)
                {
                    errors.Add($"{path}: a static select needs exactly one of options and option_groups");
                }

                if (hasOptions)
                {
                    Items(element, "options", path, 1, 100, errors, (item, itemPath) => Option(item, itemPath, errors));
                }

                if (hasGroups)
                {
                    Items(element, "option_groups", path, 1, 100, errors, (item, itemPath) =>
                    {
                        if (item is JsonObject group)
                        {
                            Text(group["label"], $"{itemPath}.label", 75, "plain_text", errors);
                            Items(group, "options", itemPath, 1, 100, errors, (option, optionPath) => Option(option, optionPath, errors));
                        }
                        else
                        {
                            errors.Add($"{itemPath}: an option group must be an object");
                        }
                    });
                }

                Confirm(element, path, errors);
                break;
            case "external_select":
            case "multi_external_select":
            case "users_select":
            case "multi_users_select":
            case "conversations_select":
            case "multi_conversations_select":
            case "channels_select":
            case "multi_channels_select":
                Placeholder(element, path, errors);
                Confirm(element, path, errors);
                break;
            case "overflow":
                Items(element, "options", path, 1, 5, errors, (item, itemPath) => Option(item, itemPath, errors));
                Confirm(element, path, errors);
                break;
            case "checkboxes":
            case "radio_buttons":
                Items(element, "options", path, 1, 10, errors, (item, itemPath) => Option(item, itemPath, errors, allowMrkdwn: true));
                Confirm(element, path, errors);
                break;
            case "image":
                Image(element, path, errors);
                break;
            case "datepicker":
            case "timepicker":
            case "datetimepicker":
            case "plain_text_input":
            case "email_text_input":
            case "url_text_input":
            case "number_input":
            case "workflow_button":
            case "rich_text_input":
                Placeholder(element, path, errors);
                break;
            default:
                errors.Add($"{path}.type: unknown element type '{type}'");
                break;
        }
    }

    private static void MaxLength(JsonObject owner, string name, int max, string path, List<string> errors)
    {
        if (owner[name] is null)
        {
            return;
        }

        var value = Str(owner, name);
        if (value is null || value.Length > max)
        {
            errors.Add(Invariant($"{path}.{name}: must be a string of at most {max} characters"));
        }
    }

    private static void Placeholder(JsonObject element, string path, List<string> errors)
    {
        if (element["placeholder"] is not null)
        {
            Text(element["placeholder"], $"{path}.placeholder", 150, "plain_text", errors);
        }
    }

    private static void Option(JsonNode? node, string path, List<string> errors, bool allowMrkdwn = false)
    {
        if (node is not JsonObject option)
        {
            errors.Add($"{path}: an option must be an object");
            return;
        }

        Text(option["text"], $"{path}.text", 75, allowMrkdwn ? null : "plain_text", errors);
        var value = Str(option, "value");
        if (string.IsNullOrEmpty(value) || value.Length > 150)
        {
            errors.Add($"{path}.value: must be 1-150 characters");
        }

        if (option["description"] is not null)
        {
            Text(option["description"], $"{path}.description", 75, allowMrkdwn ? null : "plain_text", errors);
        }

        MaxLength(option, "url", 3000, path, errors);
    }

    private static void Confirm(JsonObject element, string path, List<string> errors)
    {
        if (element["confirm"] is not JsonObject confirm)
        {
            if (element["confirm"] is not null)
            {
                errors.Add($"{path}.confirm: must be an object");
            }

            return;
        }

        Text(confirm["title"], $"{path}.confirm.title", 100, "plain_text", errors);
        Text(confirm["text"], $"{path}.confirm.text", 300, null, errors);
        Text(confirm["confirm"], $"{path}.confirm.confirm", 30, "plain_text", errors);
        Text(confirm["deny"], $"{path}.confirm.deny", 30, "plain_text", errors);
    }
}
