using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Search;

/// <summary>
/// Turns course text and learner queries into search terms. Words are read the way Python reads
/// names, so code and prose meet on the same terms: <c>f.__name__</c> gives <c>f</c> and
/// <c>__name__</c>, <c>UnboundLocalError</c> gives itself and <c>unbound</c>, <c>local</c>,
/// <c>error</c>, <c>make_counter</c> gives itself and <c>make</c>, <c>counter</c>. Dunder names stay
/// whole: <c>__iter__</c> is not the word "iter". Code also yields the syntax it shows, as
/// <see cref="SyntaxShapes"/> terms.
/// </summary>
internal static partial class SearchTerms
{
    /// <summary>Question words and fillers; Python keywords ("with", "for", "in", "global", "is") are never dropped.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "an", "are", "be", "been", "but", "by", "can", "cant", "could", "did", "didnt", "do", "does", "doesnt",
        "doing", "dont", "explain", "hello", "hey", "hi", "ok", "okay", "thank", "thanks", "thx", "isnt", "up", "wont", "want", "need", "work", "works", "working",
        "get", "go", "got", "have", "has", "how", "i", "im", "it", "its", "just", "me", "mean", "means", "my", "of", "on",
        "or", "our", "python", "py", "please", "should", "so", "some", "tell", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "those", "to", "us", "use", "used", "using", "vs", "versus", "was", "we",
        "were", "what", "whats", "when", "where", "which", "who", "why", "will", "would", "you", "your",
    };

    private static readonly System.Buffers.SearchValues<char> LowerCaseLettersAndDigits =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>Exception classes whose names don't end in Error, Exception or Warning.</summary>
    private static readonly HashSet<string> OtherExceptionNames = new(StringComparer.Ordinal)
    {
        "StopIteration", "StopAsyncIteration", "KeyboardInterrupt", "GeneratorExit", "SystemExit", "ExceptionGroup",
        "BaseExceptionGroup",
    };

    /// <summary>Terms of prose: words and names, stemmed, without stop words.</summary>
    public static void AddProse(ReadOnlySpan<char> text, List<string> terms, NameTermCache? cache = null) => AddWords(text, new TermList(terms), cache);

    /// <summary>
    /// Pairs of neighbouring words ("thread+slow"), for the short texts where word order says most:
    /// names, the summary and keywords. A query that says the same two words together matches more
    /// than one that has them apart.
    /// </summary>
    public static void AddPairs(string text, List<string> terms, NameTermCache? cache = null)
    {
        var words = new List<QueryWord>();
        AddWords(text, new QueryWordList(words), cache);
        AddPairsOf([.. words.Where(IsPlainWord).Select(word => word.Term)], terms);
    }

    /// <summary>The pairs of a query's words, from its terms in order.</summary>
    public static List<string> Pairs(IReadOnlyList<QueryWord> words)
    {
        var pairs = new List<string>();
        AddPairsOf([.. words.Where(IsPlainWord).Select(word => word.Term)], pairs);
        return pairs;
    }

    private static bool IsPlainWord(QueryWord word) => !word.IsCompound && !word.Term.StartsWith(SyntaxShapes.Prefix, StringComparison.Ordinal);

    private static void AddPairsOf(List<string> words, List<string> terms)
    {
        for (var i = 1; i < words.Count; i++)
        {
            terms.Add(words[i - 1] + "+" + words[i]);
        }
    }

    /// <summary>Terms of code: its names, as in prose, and the syntax shapes it shows.</summary>
    public static void AddCode(ReadOnlySpan<char> code, List<string> terms, NameTermCache? cache = null)
    {
        AddWords(code, new TermList(terms), cache);
        SyntaxShapes.Add(code, terms);
    }

    /// <summary>
    /// A learner's query may be prose, code or both, so it gets both readings: one entry per word
    /// (its stem, and its own form when that differs) and one per shape.
    /// </summary>
    public static List<QueryWord> Query(string query, NameTermCache? cache = null)
    {
        var words = new List<QueryWord>();
        AddWords(WithoutProseKeywords(query), new QueryWordList(words), cache);
        var shapes = new List<string>();
        SyntaxShapes.Add(query, shapes);
        words.AddRange(shapes.Select(shape => new QueryWord(shape, null)));
        return words;
    }

    /// <summary>
    /// "what is a closure", "is it slow", "how to do it in python": there "is" and "in" are English, not
    /// the operators <c>is</c> and <c>in</c>, and counted as such they send any "what is X" to the
    /// concept about identity. They stay words where code puts them (<c>x is None</c>, <c>if k in d</c>).
    /// </summary>
    private static string WithoutProseKeywords(string query) =>
        query.Contains("is", StringComparison.OrdinalIgnoreCase) || query.Contains("in", StringComparison.OrdinalIgnoreCase)
            ? ProseKeyword().Replace(query, "${before} ")
            : query;

    [GeneratedRegex(@"(?i)(?<before>\b(what|whats|how|where|why|who|which|when)\s+)is\b|\bis(?=\s+(it|this|that|there|a|an|the)\b)|\bin(?=\s+(python|py)\b)")]
    private static partial Regex ProseKeyword();

    private static void AddWords(ReadOnlySpan<char> text, ITermSink terms, NameTermCache? cache)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inName = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (inName && start < 0)
            {
                start = i;
            }
            else if (!inName && start >= 0)
            {
                AddName(text.Slice(start, i - start), terms, cache);
                start = -1;
            }
        }
    }

    private static void AddName(ReadOnlySpan<char> name, ITermSink terms, NameTermCache? cache)
    {
        if (cache is null)
        {
            ReadName(name, terms);
            return;
        }

        if (!cache.TryGet(name, out var known))
        {
            var recorded = new RecordedTerms();
            ReadName(name, recorded);
            known = cache.Add(name, recorded.ToArray());
        }

        foreach (var (term, surface) in known)
        {
            terms.Add(term, surface);
        }
    }

    private static void ReadName(ReadOnlySpan<char> name, ITermSink terms)
    {
        if (name.Trim('_').IsEmpty || char.IsDigit(name[0]))
        {
            return;
        }

        // Most words of prose and code are plain lower-case words: no splitting, no casing to undo.
        if (!name.ContainsAnyExcept(LowerCaseLettersAndDigits))
        {
            AddWord(name.ToString(), terms);
            return;
        }

        var lower = name.ToString().ToLowerInvariant();
        if (IsDunder(name))
        {
            terms.Add(lower, null);
            return;
        }

        if (IsExceptionName(name))
        {
            terms.Add(SyntaxShapes.ExceptionName, null);
        }

        var parts = SplitName(name);
        if (parts.Count == 1)
        {
            AddWord(parts[0], terms);
            return;
        }

        // The whole name is a term of its own: "unboundlocalerror" is rarer and more telling than its parts.
        terms.Add(lower.Trim('_'), CompoundMark);
        foreach (var part in parts)
        {
            AddWord(part, terms);
        }
    }

    /// <summary>
    /// A word gives its stem, and its own form too when that differs, so "threads" meets "thread"
    /// while <c>globals</c> still matches <c>globals()</c> better than the <c>global</c> statement.
    /// </summary>
    private static void AddWord(string word, ITermSink terms)
    {
        if (word.Length > 0 && !StopWords.Contains(word))
        {
            var stem = Stem(word);
            terms.Add(stem, stem == word ? null : word);
        }
    }

    /// <summary>Passed as the surface form of a compound name's whole, which has none.</summary>
    private const string CompoundMark = "";

    private interface ITermSink
    {
        void Add(string term, string? surface);
    }

    private sealed class TermList(List<string> terms) : ITermSink
    {
        public void Add(string term, string? surface)
        {
            terms.Add(term);
            if (!string.IsNullOrEmpty(surface))
            {
                terms.Add(surface);
            }
        }
    }

    private sealed class RecordedTerms : ITermSink
    {
        private readonly List<(string Term, string? Surface)> _terms = [];

        public void Add(string term, string? surface) => _terms.Add((term, surface));

        public (string Term, string? Surface)[] ToArray() => [.. _terms];
    }

    private sealed class QueryWordList(List<QueryWord> words) : ITermSink
    {
        public void Add(string term, string? surface) =>
            words.Add(new QueryWord(term, surface == CompoundMark ? null : surface, IsCompound: ReferenceEquals(surface, CompoundMark)));
    }

    /// <summary>
    /// The lower-cased words of a name: snake_case and CamelCase are split, leading and trailing
    /// underscores dropped. "HTTPServer" is "http", "server".
    /// </summary>
    private static List<string> SplitName(ReadOnlySpan<char> name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var character = name[i];
            if (character == '_')
            {
                Flush();
                continue;
            }

            var startsWord = char.IsUpper(character) && word.Length > 0
                && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (startsWord)
            {
                Flush();
            }

            word.Append(char.ToLowerInvariant(character));
        }

        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
    }

    private static bool IsDunder(ReadOnlySpan<char> name) =>
        name.Length > 4 && name.StartsWith("__") && name.EndsWith("__") && name[2] != '_';

    private static bool IsExceptionName(ReadOnlySpan<char> name) =>
        name.Length > 5 && char.IsUpper(name[0])
        && (name.EndsWith("Error") || name.EndsWith("Exception") || name.EndsWith("Warning") || OtherExceptionNames.Contains(name.ToString()));

    /// <summary>
    /// A deliberately small stemmer for the words of this domain: plurals, -ing, -ed, and the
    /// -ion, -or and -e endings that make "iterate", "iteration" and "iterator" one term while
    /// "iterable" stays another.
    /// </summary>
    internal static string Stem(string word)
    {
        if (word.Length <= 3 || word.AsSpan().ContainsAnyExceptInRange('a', 'z'))
        {
            return word;
        }

        word = word switch
        {
            _ when word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4 => word[..^3] + "y",
            _ when word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
                || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal) => word[..^2],
            _ when word[^1] == 's' && word[^2] is not ('s' or 'u' or 'i') => word[..^1],
            _ => word,
        };

        if (word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal))
        {
            word = Undouble(word[..^3]);
        }
        else if (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal) && !word.EndsWith("eed", StringComparison.Ordinal))
        {
            word = Undouble(word[..^2]);
        }
        else if (word.Length > 5 && (word.EndsWith("tion", StringComparison.Ordinal) || word.EndsWith("tor", StringComparison.Ordinal)))
        {
            word = word[..^(word[^1] == 'n' ? 3 : 2)];
        }

        return word.Length > 4 && word[^1] == 'e' ? word[..^1] : word;
    }

    private static string Undouble(string stem) =>
        stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;
}

/// <summary>One word of a query: its term (stemmed) and, when different, the form the learner typed.</summary>
/// <param name="IsCompound">The term is a whole snake_case or CamelCase name, whose parts follow as words of their own.</param>
internal readonly record struct QueryWord(string Term, string? Surface, bool IsCompound = false);

/// <summary>
/// The terms each name gave, kept while one course is indexed: prose repeats its words thousands
/// of times, and reading each one again (a string for the word, another for its stem) made most
/// of an index build's garbage. Safe to share between the threads of one build; never kept after
/// it, so learners' queries never grow it.
/// </summary>
internal sealed class NameTermCache
{
    private readonly ConcurrentDictionary<string, (string Term, string? Surface)[]> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Term, string? Surface)[]>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public NameTermCache() => _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool TryGet(ReadOnlySpan<char> name, out (string Term, string? Surface)[] terms) => _bySpan.TryGetValue(name, out terms!);

    /// <returns>The terms kept for the name: these, or another thread's if it got there first.</returns>
    public (string Term, string? Surface)[] Add(ReadOnlySpan<char> name, (string Term, string? Surface)[] terms) =>
        _bySpan.TryAdd(name, terms) ? terms : _bySpan[name];
}
