using System.Text.Json.Nodes;

namespace Bot.Tests.Shared;

/// <summary>
/// Seeded mutations of a valid JSON request, the shapes a fuzzer finds: a value of another kind, a
/// field removed or added, text that is empty, huge, full of control characters or a lone surrogate,
/// and JSON cut short. The same seed gives the same mutations, so a failure can be replayed.
/// </summary>
internal sealed class JsonMutations(int seed)
{
    /// <summary>Stands for a lone surrogate: <see cref="System.Text.Json"/> will not write one, so it is put into the text afterwards.</summary>
    private const string LoneSurrogate = "LONE-SURROGATE-MARK";

    private readonly Random _random = new(seed);

    /// <summary>One mutated copy of <paramref name="valid"/>, as the JSON text to send.</summary>
    public string Mutate(JsonObject valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        var copy = (JsonObject)valid.DeepClone();
        var mutations = 1 + _random.Next(3);
        for (var count = 0; count < mutations; count++)
        {
            MutateOne(copy);
        }

        var text = copy.ToJsonString().Replace(LoneSurrogate, _random.Next(2) == 0 ? "\\ud800" : "x\\udfff", StringComparison.Ordinal);
        return _random.Next(20) == 0 ? text[..Math.Max(1, _random.Next(text.Length))] : text;
    }

    private void MutateOne(JsonObject root)
    {
        var nodes = new List<(JsonNode? Parent, string? Property, int Index, JsonNode? Node)>();
        Collect(null, null, -1, root, nodes);
        var (parent, property, index, _) = nodes[_random.Next(nodes.Count)];
        if (parent is null)
        {
            root[$"unexpected_{_random.Next(100)}"] = Value();
            return;
        }

        switch (_random.Next(4))
        {
            case 0 when parent is JsonObject removeFrom && property is not null:
                removeFrom.Remove(property);
                break;
            case 1 when parent is JsonObject addTo:
                addTo[$"unexpected_{_random.Next(100)}"] = Value();
                break;
            default:
                if (parent is JsonObject objectParent && property is not null)
                {
                    objectParent[property] = Value();
                }
                else if (parent is JsonArray arrayParent && index >= 0)
                {
                    arrayParent[index] = Value();
                }

                break;
        }
    }

    private JsonNode? Value() => _random.Next(14) switch
    {
        0 => null,
        1 => 0,
        2 => -1,
        3 => long.MaxValue,
        4 => 1.5e308,
        5 => true,
        6 => "",
        7 => LoneSurrogate,
        8 => new string('x', 20_000),
        9 => "line\nbreak\r\u0000\u001b[31m @everyone <!channel> <@123>",
        10 => new JsonArray(),
        11 => new JsonObject(),
        12 => new JsonArray((JsonNode?)null, 1, "two"),
        _ => "😀👨‍👩‍👧🇫🇷é\u0301",
    };

    private static void Collect(JsonNode? parent, string? property, int index, JsonNode? node, List<(JsonNode?, string?, int, JsonNode?)> nodes)
    {
        nodes.Add((parent, property, index, node));
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    Collect(obj, name, -1, child, nodes);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array, null, i, array[i], nodes);
                }

                break;
        }
    }
}
