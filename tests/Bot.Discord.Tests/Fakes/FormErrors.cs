using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fakes;

/// <summary>Collects validation errors and renders them in Discord's nested <c>errors</c> shape (<c>{"content":{"_errors":[…]}}</c>).</summary>
internal sealed class FormErrors
{
    private readonly List<(string Path, string Code, string Message)> _items = [];

    public bool Any => _items.Count > 0;

    /// <summary>Adds an error at a dotted path such as <c>embeds.0.title</c> ("" for the body itself).</summary>
    public void Add(string path, string code, string message) => _items.Add((path, code, message));

    public static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    public static string Join(string prefix, int index) => Join(prefix, index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string Summary() =>
        string.Join("; ", _items.Select(item => item.Path.Length == 0 ? item.Message : $"{item.Path}: {item.Message}"));

    public JsonObject ToJson()
    {
        var root = new JsonObject();
        foreach (var (path, code, message) in _items)
        {
            var node = root;
            foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                if (node[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[part] = child;
                }

                node = child;
            }

            if (node["_errors"] is not JsonArray list)
            {
                list = [];
                node["_errors"] = list;
            }

            list.Add(new JsonObject { ["code"] = code, ["message"] = message });
        }

        return root;
    }
}
