using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Discord.Tests.Fakes;

// Application commands: GET and PUT (bulk overwrite) on /applications/{app}/commands and
// /applications/{app}/guilds/{guild}/commands, with Discord's naming and size rules.
public sealed partial class FakeDiscord
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    private static readonly Regex CommandNamePattern = new(@"^[-_'\p{L}\p{N}\p{IsDevanagari}\p{IsThai}]{1,32}$", RegexOptions.CultureInvariant);

    private readonly Dictionary<string, List<JsonObject>> _guildCommands = new(StringComparer.Ordinal);
    private List<JsonObject> _globalCommands = [];
    private int _commandOverwrites;

    /// <summary>Copies of the global commands as last overwritten.</summary>
    public IReadOnlyList<JsonObject> GlobalCommands
    {
        get
        {
            lock (_gate)
            {
                return _globalCommands.Select(c => (JsonObject)c.DeepClone()).ToList();
            }
        }
    }

    /// <summary>Number of accepted bulk overwrites (global and guild).</summary>
    public int CommandOverwrites
    {
        get
        {
            lock (_gate)
            {
                return _commandOverwrites;
            }
        }
    }

    /// <summary>Copies of a guild's commands as last overwritten (empty if never set).</summary>
    public IReadOnlyList<JsonObject> GuildCommands(string guildId)
    {
        lock (_gate)
        {
            return _guildCommands.TryGetValue(guildId, out var commands)
                ? commands.Select(c => (JsonObject)c.DeepClone()).ToList()
                : [];
        }
    }

    private Answer Commands(Call call, string applicationId, string? guildId)
    {
        if (applicationId != ApplicationId)
        {
            return Reject(call.Where, 403, 50001, "Missing Access", $"application id {applicationId} is not this bot's ({ApplicationId})");
        }

        if (guildId is not null && !Snowflakes.IsSnowflake(guildId))
        {
            return Reject(call.Where, 404, 10004, "Unknown Guild", $"guild id '{guildId}' is not a snowflake");
        }

        var current = guildId is null ? _globalCommands : _guildCommands.GetValueOrDefault(guildId) ?? [];
        switch (call.Method)
        {
            case "GET":
                return Answer.Ok(new JsonArray(current.Select(c => (JsonNode)c.DeepClone()).ToArray()));
            case "PUT":
                var errors = new FormErrors();
                if (call.Json is not JsonArray commands)
                {
                    errors.Add("", "BASE_TYPE_ARRAY", "The body of a bulk overwrite must be an array of commands.");
                    return Invalid(call.Where, errors);
                }

                ValidateCommands(commands, guildId is not null, errors);
                if (errors.Any)
                {
                    return Invalid(call.Where, errors);
                }

                var stored = commands.OfType<JsonObject>().Select(c => StoreCommand(c, current, guildId)).ToList();
                if (guildId is null)
                {
                    _globalCommands = stored;
                }
                else
                {
                    _guildCommands[guildId] = stored;
                }

                _commandOverwrites++;
                return Answer.Ok(new JsonArray(stored.Select(c => (JsonNode)c.DeepClone()).ToArray()));
            default:
                return MethodNotAllowed(call);
        }
    }

    // Keeps the id of a command that already existed under the same name and type, as Discord does.
    private static JsonObject StoreCommand(JsonObject command, List<JsonObject> current, string? guildId)
    {
        var stored = (JsonObject)command.DeepClone();
        var type = TryInteger(stored["type"], out var value) ? value : 1;
        var name = StringOrNull(stored["name"]);
        var existing = current.FirstOrDefault(c => StringOrNull(c["name"]) == name && TryInteger(c["type"], out var t) && t == type);
        stored["id"] = existing?["id"]?.DeepClone() ?? Snowflakes.Next();
        stored["application_id"] = ApplicationId;
        stored["version"] = Snowflakes.Next();
        stored["type"] = type;
        stored["description"] ??= "";
        stored["default_member_permissions"] ??= null;
        if (guildId is not null)
        {
            stored["guild_id"] = guildId;
        }

        return FakeMessage.Normalize(stored);
    }

    private static void ValidateCommands(JsonArray commands, bool guildScope, FormErrors errors)
    {
        var perType = new Dictionary<long, int>();
        var names = new HashSet<(long, string)>();
        for (var i = 0; i < commands.Count; i++)
        {
            var path = FormErrors.Join("", i);
            if (commands[i] is not JsonObject command)
            {
                errors.Add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
                continue;
            }

            var type = 1L;
            if (command["type"] is { } typeNode && (!TryInteger(typeNode, out type) || type is < 1 or > 4))
            {
                errors.Add(FormErrors.Join(path, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.");
                continue;
            }

            perType[type] = perType.GetValueOrDefault(type) + 1;
            var name = StringOrNull(command["name"]);
            if (name is not null && !names.Add((type, name)))
            {
                errors.Add(FormErrors.Join(path, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", $"Application command names must be unique per type (\"{name}\" repeats).");
            }

            if (type == 1)
            {
                var characters = CheckName(command["name"], FormErrors.Join(path, "name"), errors);
                characters += CheckText(command["description"], FormErrors.Join(path, "description"), 100, required: true, errors);
                characters += ValidateOptions(command["options"], FormErrors.Join(path, "options"), parentType: 0, errors);
                if (characters > 8000)
                {
                    errors.Add(path, "APPLICATION_COMMAND_TOO_LARGE", $"Command exceeds maximum size (8000); names, descriptions and choice values total {characters}.");
                }
            }
            else
            {
                CheckText(command["name"], FormErrors.Join(path, "name"), 32, required: true, errors);
                if (type is 2 or 3 && !string.IsNullOrEmpty(StringOrNull(command["description"])))
                {
                    errors.Add(FormErrors.Join(path, "description"), "APPLICATION_COMMAND_DESCRIPTION_INVALID", "USER and MESSAGE commands must have an empty description.");
                }

                if (command["options"] is JsonArray { Count: > 0 })
                {
                    errors.Add(FormErrors.Join(path, "options"), "APPLICATION_COMMAND_OPTIONS_INVALID", "Only CHAT_INPUT commands take options.");
                }
            }
        }

        foreach (var (type, max) in new (long, int)[] { (1, 100), (2, 15), (3, 15), (4, guildScope ? 0 : 1) })
        {
            if (perType.GetValueOrDefault(type) > max)
            {
                errors.Add("", "APPLICATION_COMMANDS_TOO_MANY", $"At most {max} commands of type {type} (got {perType[type]}).");
            }
        }
    }

    // Returns the characters that count toward the 8000-character command size.
    private static int CheckName(JsonNode? node, string path, FormErrors errors)
    {
        if (!TryString(node, out var name))
        {
            errors.Add(path, "BASE_TYPE_REQUIRED", "This field is required.");
            return 0;
        }

        if (!CommandNamePattern.IsMatch(name))
        {
            errors.Add(path, "APPLICATION_COMMAND_INVALID_NAME", $"Command name \"{name}\" must match ^[-_'\\p{{L}}\\p{{N}}\\p{{sc=Deva}}\\p{{sc=Thai}}]{{1,32}}$.");
        }
        else if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            errors.Add(path, "APPLICATION_COMMAND_INVALID_NAME", $"Command name \"{name}\" must be lowercase.");
        }

        return Length(name);
    }

    // parentType: 0 for the command itself, 1 inside a subcommand, 2 inside a subcommand group.
    private static int ValidateOptions(JsonNode? node, string path, int parentType, FormErrors errors)
    {
        if (node is null)
        {
            return 0;
        }

        if (node is not JsonArray options)
        {
            errors.Add(path, "BASE_TYPE_ARRAY", "Must be an array.");
            return 0;
        }

        if (options.Count > 25)
        {
            errors.Add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }

        var types = options.OfType<JsonObject>().Select(o => TryInteger(o["type"], out var t) ? t : 0).ToList();
        if (types.Any(t => t is 1 or 2) && types.Any(t => t is not (1 or 2)))
        {
            errors.Add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Subcommands and groups cannot be mixed with other options at the same level.");
        }

        var characters = 0;
        var seenOptional = false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var optionPath = FormErrors.Join(path, i);
            if (options[i] is not JsonObject option)
            {
                errors.Add(optionPath, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType.");
                continue;
            }

            if (!TryInteger(option["type"], out var type) || type is < 1 or > 11)
            {
                errors.Add(FormErrors.Join(optionPath, "type"), "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.");
                continue;
            }

            characters += CheckName(option["name"], FormErrors.Join(optionPath, "name"), errors);
            characters += CheckText(option["description"], FormErrors.Join(optionPath, "description"), 100, required: true, errors);
            if (StringOrNull(option["name"]) is { } name && !names.Add(name))
            {
                errors.Add(FormErrors.Join(optionPath, "name"), "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", $"Option name \"{name}\" repeats.");
            }

            var placementInvalid = type switch
            {
                1 => parentType == 1,
                2 => parentType != 0,
                _ => parentType == 2,
            };
            if (placementInvalid)
            {
                errors.Add(FormErrors.Join(optionPath, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", $"Option type {type} is not allowed inside option type {parentType}.");
            }

            if (type is 1 or 2)
            {
                characters += ValidateOptions(option["options"], FormErrors.Join(optionPath, "options"), (int)type, errors);
                continue;
            }

            var required = TryBool(option["required"], out var isRequired) && isRequired;
            if (required && seenOptional)
            {
                errors.Add(FormErrors.Join(optionPath, "required"), "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options.");
            }

            seenOptional |= !required;
            characters += ValidateOptionLimits(option, optionPath, type, errors);
        }

        return characters;
    }

    private static int ValidateOptionLimits(JsonObject option, string path, long type, FormErrors errors)
    {
        var characters = 0;
        var hasChoices = option["choices"] is JsonArray { Count: > 0 };
        if (option["choices"] is { } choicesNode)
        {
            var choicesPath = FormErrors.Join(path, "choices");
            if (type is not (3 or 4 or 10))
            {
                errors.Add(choicesPath, "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Only STRING, INTEGER and NUMBER options take choices.");
            }
            else if (choicesNode is not JsonArray choices)
            {
                errors.Add(choicesPath, "BASE_TYPE_ARRAY", "Must be an array.");
            }
            else
            {
                if (choices.Count > 25)
                {
                    errors.Add(choicesPath, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
                }

                for (var i = 0; i < choices.Count; i++)
                {
                    characters += CheckChoice(choices[i] as JsonObject ?? [], FormErrors.Join(choicesPath, i), type, errors);
                }
            }
        }

        if (TryBool(option["autocomplete"], out var autocomplete) && autocomplete)
        {
            if (type is not (3 or 4 or 10))
            {
                errors.Add(FormErrors.Join(path, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID", "Only STRING, INTEGER and NUMBER options can autocomplete.");
            }

            if (hasChoices)
            {
                errors.Add(FormErrors.Join(path, "autocomplete"), "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID", "autocomplete cannot be combined with choices.");
            }
        }

        var hasMinLength = option["min_length"] is not null;
        var hasMaxLength = option["max_length"] is not null;
        if (hasMinLength || hasMaxLength)
        {
            var minLength = TryInteger(option["min_length"], out var min) ? min : 0;
            var maxLength = TryInteger(option["max_length"], out var max) ? max : 6000;
            if (type != 3)
            {
                errors.Add(FormErrors.Join(path, "min_length"), "APPLICATION_COMMAND_OPTION_LENGTH_INVALID", "min_length and max_length apply only to STRING options.");
            }
            else if (minLength is < 0 or > 6000 || maxLength is < 1 or > 6000 || minLength > maxLength)
            {
                errors.Add(FormErrors.Join(path, "min_length"), "APPLICATION_COMMAND_OPTION_LENGTH_INVALID", "Need 0 <= min_length <= 6000, 1 <= max_length <= 6000 and min_length <= max_length.");
            }
        }

        if (option["min_value"] is not null || option["max_value"] is not null)
        {
            var hasMin = TryNumber(option["min_value"], out var minValue);
            var hasMax = TryNumber(option["max_value"], out var maxValue);
            if (type is not (4 or 10))
            {
                errors.Add(FormErrors.Join(path, "min_value"), "APPLICATION_COMMAND_OPTION_VALUE_INVALID", "min_value and max_value apply only to INTEGER and NUMBER options.");
            }
            else if ((option["min_value"] is not null && !hasMin) || (option["max_value"] is not null && !hasMax) || (hasMin && hasMax && minValue > maxValue))
            {
                errors.Add(FormErrors.Join(path, "min_value"), "APPLICATION_COMMAND_OPTION_VALUE_INVALID", "min_value and max_value must be numbers with min_value <= max_value.");
            }
        }

        if (option["channel_types"] is not null && type != 7)
        {
            errors.Add(FormErrors.Join(path, "channel_types"), "APPLICATION_COMMAND_OPTION_CHANNEL_TYPES_INVALID", "channel_types applies only to CHANNEL options.");
        }

        return characters;
    }

    private static int CheckChoice(JsonObject choice, string path, long optionType, FormErrors errors)
    {
        var characters = CheckText(choice["name"], FormErrors.Join(path, "name"), 100, required: true, errors);
        var valuePath = FormErrors.Join(path, "value");
        var value = choice["value"];
        switch (optionType)
        {
            case 3:
                characters += CheckText(value, valuePath, 100, required: true, errors);
                break;
            case 4 when !TryInteger(value, out var integer) || Math.Abs(integer) > MaxSafeInteger:
                errors.Add(valuePath, "NUMBER_TYPE_COERCE", "An INTEGER option's choice value must be an integer within ±2^53-1.");
                break;
            case 10 when !TryNumber(value, out _):
                errors.Add(valuePath, "NUMBER_TYPE_COERCE", "A NUMBER option's choice value must be a number.");
                break;
            default:
                characters += Length(value?.ToJsonString() ?? "");
                break;
        }

        return characters;
    }
}
