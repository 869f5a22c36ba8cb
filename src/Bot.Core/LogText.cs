using System.Text;

namespace Bot.Core;

/// <summary>
/// Text from a request (a command name, a button's id, a user id) made safe to put in a log line:
/// control characters are escaped, so a newline cannot forge a line of its own, and it is clipped,
/// so a 60 KB field cannot make a 60 KB line.
/// </summary>
public static class LogText
{
    /// <summary>What a logged field keeps of a request's text: ids and command names are far shorter.</summary>
    public const int MaxLength = 100;

    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var clipped = text.Length > MaxLength ? Rendering.TextClip.Clip(text, MaxLength) : text;
        if (!clipped.AsSpan().ContainsAnyInRange('\0', '\u001f') && !clipped.Contains('\u007f') && !ContainsLineSeparator(clipped))
        {
            return clipped;
        }

        var builder = new StringBuilder(clipped.Length + 8);
        foreach (var character in clipped)
        {
            _ = character switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(character) || character is '\u2028' or '\u2029' or '\u0085' => builder.Append($"\\u{(int)character:x4}"),
                _ => builder.Append(character),
            };
        }

        return builder.ToString();
    }

    private static bool ContainsLineSeparator(string text) => text.AsSpan().IndexOfAny('\u2028', '\u2029', '\u0085') >= 0;
}
