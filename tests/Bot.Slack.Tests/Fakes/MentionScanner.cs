using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Slack.Tests.Fakes;

/// <summary>
/// Finds the mentions in outgoing text that Slack would turn into notifications. Slack has no allowed_mentions:
/// markup (<c>&lt;!channel&gt;</c>, <c>&lt;!here&gt;</c>, <c>&lt;!everyone&gt;</c>, <c>&lt;@U…&gt;</c>,
/// <c>&lt;!subteam^S…&gt;</c>) always notifies; raw <c>@here</c>/<c>@channel</c>/<c>@everyone</c> notifies in a
/// message's top-level text only with <c>link_names</c> or <c>parse=full</c>, and in a <c>mrkdwn</c> text object
/// unless it sets <c>verbatim: true</c> (a conservative reading of the Block Kit reference). Escaped
/// <c>&amp;lt;!channel&amp;gt;</c> is plain text.
/// </summary>
public static partial class MentionScanner
{
    /// <summary>Mentions in a message's top-level text and its blocks, attributed to <paramref name="source"/>.</summary>
    public static IReadOnlyList<FakeSlackPing> Scan(string source, string channel, string? text, JsonNode? blocks, bool linkNames)
    {
        var pings = new List<FakeSlackPing>();
        if (!string.IsNullOrEmpty(text))
        {
            AddMarkup(pings, $"{source} text", channel, text);
            if (linkNames)
            {
                AddRaw(pings, $"{source} text", channel, text);
            }
        }

        if (blocks is not null)
        {
            Walk(pings, source, channel, blocks, "blocks");
        }

        return pings;
    }

    private static void Walk(List<FakeSlackPing> pings, string source, string channel, JsonNode node, string path)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        Walk(pings, source, channel, item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"));
                    }
                }

                break;
            case JsonObject obj:
                ScanObject(pings, $"{source} {path}", channel, obj);
                foreach (var (name, child) in obj)
                {
                    if (child is JsonObject or JsonArray)
                    {
                        Walk(pings, source, channel, child, $"{path}.{name}");
                    }
                }

                break;
        }
    }

    private static void ScanObject(List<FakeSlackPing> pings, string where, string channel, JsonObject obj)
    {
        var type = StringOf(obj["type"]);
        switch (type)
        {
            case "mrkdwn" when StringOf(obj["text"]) is { } text:
                AddMarkup(pings, where, channel, text);
                if (obj["verbatim"] is not JsonValue verbatim || verbatim.GetValueKind() != JsonValueKind.True)
                {
                    AddRaw(pings, where, channel, text);
                }

                break;
            // rich_text elements carry mentions as structured elements.
            case "broadcast" when StringOf(obj["range"]) is { } range:
                pings.Add(new FakeSlackPing(where, channel, $"broadcast:{range}", range, null));
                break;
            case "user" when StringOf(obj["user_id"]) is { } userId:
                pings.Add(new FakeSlackPing(where, channel, $"user:{userId}", "user", userId));
                break;
            case "usergroup" when StringOf(obj["usergroup_id"]) is { } groupId:
                pings.Add(new FakeSlackPing(where, channel, $"usergroup:{groupId}", "subteam", groupId));
                break;
        }
    }

    /// <summary>Markup mentions (<c>&lt;!channel&gt;</c>, <c>&lt;@U1&gt;</c>, ...) in <paramref name="text"/>.</summary>
    public static void AddMarkup(List<FakeSlackPing> pings, string where, string channel, string text)
    {
        ArgumentNullException.ThrowIfNull(pings);
        ArgumentNullException.ThrowIfNull(text);
        foreach (Match match in MarkupPattern().Matches(text))
        {
            if (match.Groups["special"].Success)
            {
                pings.Add(new FakeSlackPing(where, channel, match.Value, match.Groups["special"].Value, null));
            }
            else if (match.Groups["subteam"].Success)
            {
                pings.Add(new FakeSlackPing(where, channel, match.Value, "subteam", match.Groups["subteam"].Value));
            }
            else
            {
                pings.Add(new FakeSlackPing(where, channel, match.Value, "user", match.Groups["user"].Value));
            }
        }
    }

    /// <summary>Raw <c>@here</c>/<c>@channel</c>/<c>@everyone</c> in <paramref name="text"/>.</summary>
    public static void AddRaw(List<FakeSlackPing> pings, string where, string channel, string text)
    {
        ArgumentNullException.ThrowIfNull(pings);
        ArgumentNullException.ThrowIfNull(text);
        foreach (Match match in RawPattern().Matches(text))
        {
            pings.Add(new FakeSlackPing(where, channel, match.Value, match.Groups["special"].Value, null));
        }
    }

    private static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex(@"<(?:!(?<special>channel|here|everyone)|!subteam\^(?<subteam>[A-Z0-9]+)|@(?<user>[UW][A-Z0-9]+))(?:\|[^>]*)?>", RegexOptions.CultureInvariant)]
    private static partial Regex MarkupPattern();

    [GeneratedRegex(@"(?<![\w@<!])@(?<special>here|channel|everyone)(?![\w-])", RegexOptions.CultureInvariant)]
    private static partial Regex RawPattern();
}
