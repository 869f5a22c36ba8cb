using System.Text;

namespace Bot.Core.Search;

/// <summary>Turns names and queries into comparable keys and search terms.</summary>
public static class TextNormalizer
{
    /// <summary>
    /// Lower-case letters and digits only, so "*args", "Args" and "args" are one key, and so are
    /// "Deep Copy", "deep-copy" and "deepcopy". Runs of two or more underscores stay: they make a
    /// Python name of their own, so <c>__dict__</c> is not the word "dict" nor <c>__name__</c> "name".
    /// </summary>
    public static string Key(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var character = text[i];
            if (char.IsLetterOrDigit(character))
            {
                builder.Append(char.ToLowerInvariant(character));
            }
            else if (character == '_')
            {
                var run = 1;
                while (i + run < text.Length && text[i + run] == '_')
                {
                    run++;
                }

                if (run >= 2)
                {
                    builder.Append('_', run);
                }

                i += run - 1;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// An asked question as a learner could retype it: case, spaces and a closing ?, ! or . do not
    /// matter, but symbols do, so "what does // mean" and "what does := mean" are two questions.
    /// </summary>
    public static string QuestionKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var character in text.TrimEnd().TrimEnd('?', '!', '.').ToLowerInvariant())
        {
            if (!char.IsWhiteSpace(character))
            {
                builder.Append(character);
            }
        }

        return builder.ToString();
    }
}
