using System.Text;

namespace Bot.Core.Replies;

/// <summary>Helpers for putting user-supplied text into Markdown safely.</summary>
public static class MarkdownText
{
    /// <summary>Escapes every ASCII punctuation character so the text renders literally.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var character in text)
        {
            if (character is '\r' or '\n')
            {
                builder.Append(' ');
                continue;
            }

            if (char.IsAsciiLetterOrDigit(character) || character == ' ' || character > 127)
            {
                builder.Append(character);
                continue;
            }

            builder.Append('\\').Append(character);
        }

        return builder.ToString();
    }
}
