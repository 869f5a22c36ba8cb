using System.Text;

namespace Bot.Core.Search;

/// <summary>Turns names and queries into comparable keys and search terms.</summary>
public static class TextNormalizer
{
    /// <summary>
    /// Lower-case letters and digits only, so "*args", "Args" and "args" are one key, and so are
    /// "Deep Copy", "deep-copy" and "deepcopy".
    /// </summary>
    public static string Key(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            if (char.IsLetterOrDigit(character))
            {
                builder.Append(char.ToLowerInvariant(character));
            }
        }

        return builder.ToString();
    }
}
