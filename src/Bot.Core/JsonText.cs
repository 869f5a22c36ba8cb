using System.Text.Json;

namespace Bot.Core;

/// <summary>Reading text from platform JSON that may be malformed.</summary>
public static class JsonText
{
    /// <summary>
    /// The string property <paramref name="name"/> of <paramref name="element"/>, or null when it is missing, not a
    /// string, or not valid UTF-16 (a lone surrogate escape such as <c>"\ud800"</c>, which no platform sends).
    /// </summary>
    public static string? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
