using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fakes;

/// <summary>Web API arguments as Slack reads them: form fields and query parameters as strings, or the members of a JSON body.</summary>
public sealed class SlackArgs
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.Ordinal);

    /// <summary>Argument names present.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>Sets an argument (a later source wins).</summary>
    public void Set(string name, JsonNode? value) => _values[name] = value;

    /// <summary>Whether the argument is present.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The argument as a string (numbers and booleans in their JSON spelling), or null.</summary>
    public string? Text(string name)
    {
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            return value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.ToJsonString(),
            };
        }

        return node.ToJsonString();
    }

    /// <summary>Whether the argument is true as Slack reads booleans (<c>true</c> or <c>1</c>).</summary>
    public bool Bool(string name) => Text(name) is "true" or "1";

    /// <summary>The argument as an integer, or null when absent or not a number.</summary>
    public int? Number(string name) =>
        int.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>
    /// The argument as JSON: a JSON body's value as is, a form field parsed from its JSON text. Null when absent;
    /// <paramref name="malformed"/> is set when a string did not parse.
    /// </summary>
    public JsonNode? Json(string name, out bool malformed)
    {
        malformed = false;
        if (!_values.TryGetValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            try
            {
                return JsonNode.Parse(value.GetValue<string>());
            }
            catch (JsonException)
            {
                malformed = true;
                return null;
            }
        }

        return node;
    }
}
