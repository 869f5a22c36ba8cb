using System.Text;

namespace Bot.Core.Search;

/// <summary>Turns names and queries into comparable keys and search terms.</summary>
public static class TextNormalizer
{
    /// <summary>Question words only: "with", "for", "in", "global" and friends are Python keywords people search for.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "an", "are", "can", "do", "does", "explain", "how", "i", "me", "my", "of", "tell",
        "that", "the", "this", "to", "what", "when", "why", "you",
    };

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

    /// <summary>Words for full-text search: lower-cased, stop words dropped, plurals folded.</summary>
    public static IEnumerable<string> Terms(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = string.Create(i - start, (text, start), static (target, source) =>
                    source.text.AsSpan(source.start, target.Length).ToLowerInvariant(target));
                start = -1;
                if (!StopWords.Contains(word))
                {
                    yield return Stem(word);
                }
            }
        }
    }

    /// <summary>A deliberately small stemmer: plurals and -ing, enough for "threads" to find "thread".</summary>
    internal static string Stem(string word)
    {
        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word.Length > 4 && (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)))
        {
            return word[..^2];
        }

        if (word.Length > 3 && word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i'))
        {
            return word[..^1];
        }

        if (word.Length > 6 && word.EndsWith("ing", StringComparison.Ordinal))
        {
            return word[..^3];
        }

        return word;
    }
}
