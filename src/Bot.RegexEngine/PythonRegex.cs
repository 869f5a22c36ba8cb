namespace Bot.RegexEngine;

/// <summary>How much work one call may do before it is cut off. The step budget counts matcher entries and
/// backtracking steps; the default keeps catastrophic patterns well under a second.</summary>
public sealed record MatchBudget(long MaxSteps = MatchBudget.DefaultMaxSteps, TimeSpan? Timeout = null)
{
    public const long DefaultMaxSteps = 1_000_000;

    public static MatchBudget Default { get; } = new(DefaultMaxSteps, TimeSpan.FromSeconds(1));
}

/// <summary>One match: spans are code-point offsets into the text, like Python's str indices.</summary>
public sealed class RegexMatch
{
    private readonly int[] _text;

    internal RegexMatch(int[] text, (int Start, int End) span, IReadOnlyList<(int Start, int End)?> groups)
    {
        _text = text;
        Span = span;
        Groups = groups;
    }

    public (int Start, int End) Span { get; }

    /// <summary>Group 1..n spans in order; null for a group that did not participate (Python's None).</summary>
    public IReadOnlyList<(int Start, int End)?> Groups { get; }

    public string Value => CodePoints.ToText(_text.AsSpan(Span.Start, Span.End - Span.Start));

    /// <summary>Python's <c>m.group(n)</c>: 0 is the whole match; null when the group did not participate.</summary>
    public string? Group(int number)
    {
        if (number == 0)
        {
            return Value;
        }

        return Groups[number - 1] is { } span ? CodePoints.ToText(_text.AsSpan(span.Start, span.End - span.Start)) : null;
    }
}

/// <summary>A compiled pattern with Python's <c>re</c> semantics for str patterns (CPython 3.11).</summary>
public sealed class PythonRegex
{
    /// <summary>The longest pattern the bot accepts from a user, in characters.</summary>
    public const int MaxPatternLength = 1000;

    /// <summary>The longest text the bot matches against, in characters.</summary>
    public const int MaxTextLength = 10_000;

    private readonly CompiledProgram _program;

    private PythonRegex(string pattern, RegexTree tree, CompiledProgram program)
    {
        Pattern = pattern;
        Tree = tree;
        _program = program;
    }

    public string Pattern { get; }

    /// <summary>The parsed pattern, for explaining it node by node.</summary>
    public RegexTree Tree { get; }

    public int GroupCount => Tree.GroupCount;

    public IReadOnlyDictionary<string, int> GroupNames => Tree.GroupNames;

    /// <summary><c>re.compile(pattern, flags)</c>. Throws <see cref="PythonRegexError"/> with Python's message and position.</summary>
    public static PythonRegex Compile(string pattern, RegexFlag flags = RegexFlag.None)
    {
        var tree = RegexParser.Parse(pattern, flags);
        return new PythonRegex(pattern, tree, RegexCompiler.Compile(tree));
    }

    /// <summary>Parses the letters of <c>imsxa</c> (and <c>u</c>, <c>L</c>) into flags; null for any other letter.</summary>
    public static RegexFlag? ParseFlagLetters(string letters)
    {
        RegexFlag flags = 0;
        foreach (var letter in letters)
        {
            flags |= letter switch
            {
                'i' => RegexFlag.IgnoreCase,
                'm' => RegexFlag.Multiline,
                's' => RegexFlag.DotAll,
                'x' => RegexFlag.Verbose,
                'a' => RegexFlag.Ascii,
                'u' => RegexFlag.Unicode,
                'L' => RegexFlag.Locale,
                _ => (RegexFlag)(-1),
            };
            if (flags == (RegexFlag)(-1))
            {
                return null;
            }
        }

        return flags;
    }

    public RegexMatch? Search(string text, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var points = CodePoints.FromText(text);
        var matcher = NewMatcher(points, budget, cancellationToken);
        return matcher.Search(0) ? ToMatch(matcher, points) : null;
    }

    public RegexMatch? Match(string text, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var points = CodePoints.FromText(text);
        var matcher = NewMatcher(points, budget, cancellationToken);
        return matcher.MatchAt(0) ? ToMatch(matcher, points) : null;
    }

    public RegexMatch? FullMatch(string text, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var points = CodePoints.FromText(text);
        var matcher = NewMatcher(points, budget, cancellationToken);
        matcher.MatchAll = true;
        return matcher.MatchAt(0) ? ToMatch(matcher, points) : null;
    }

    /// <summary><c>re.finditer</c>, collected: an empty match may follow a non-empty one at the same position.</summary>
    public IReadOnlyList<RegexMatch> FindIter(string text, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var points = CodePoints.FromText(text);
        var matcher = NewMatcher(points, budget, cancellationToken);
        var matches = new List<RegexMatch>();
        foreach (var _ in Scan(matcher))
        {
            matches.Add(ToMatch(matcher, points));
        }

        return matches;
    }

    /// <summary><c>re.findall</c>: one entry per match, holding the whole match when the pattern has no groups,
    /// else every group ("" when a group did not participate). Python returns a str for zero or one group and
    /// a tuple otherwise.</summary>
    public IReadOnlyList<IReadOnlyList<string>> FindAll(string text, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var results = new List<IReadOnlyList<string>>();
        foreach (var match in FindIter(text, budget, cancellationToken))
        {
            if (GroupCount == 0)
            {
                results.Add([match.Value]);
            }
            else
            {
                results.Add([.. Enumerable.Range(1, GroupCount).Select(g => match.Group(g) ?? "")]);
            }
        }

        return results;
    }

    /// <summary><c>re.split(pattern, text, maxsplit)</c>: pieces and, between them, every group (null when unmatched).</summary>
    public IReadOnlyList<string?> Split(string text, int maxSplit = 0, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var points = CodePoints.FromText(text);
        var matcher = NewMatcher(points, budget, cancellationToken);
        var result = new List<string?>();
        var last = 0;
        var splits = 0;
        foreach (var _ in Scan(matcher))
        {
            if (maxSplit > 0 && splits >= maxSplit)
            {
                break;
            }

            var match = ToMatch(matcher, points);
            result.Add(CodePoints.ToText(points.AsSpan(last, match.Span.Start - last)));
            for (var g = 1; g <= GroupCount; g++)
            {
                result.Add(match.Group(g));
            }

            last = match.Span.End;
            splits++;
        }

        result.Add(CodePoints.ToText(points.AsSpan(last)));
        return result;
    }

    /// <summary><c>re.sub(pattern, repl, text, count)</c> with a template string (<c>\1</c>, <c>\g&lt;name&gt;</c>, escapes).
    /// Throws <see cref="PythonRegexError"/> for a template Python rejects.</summary>
    public string Sub(string replacement, string text, int count = 0, MatchBudget? budget = null, CancellationToken cancellationToken = default)
    {
        var template = ReplacementTemplate.Parse(replacement, this);
        var points = CodePoints.FromText(text);
        var matcher = NewMatcher(points, budget, cancellationToken);
        var builder = new System.Text.StringBuilder();
        var last = 0;
        var done = 0;
        foreach (var _ in Scan(matcher))
        {
            if (count > 0 && done >= count)
            {
                break;
            }

            var match = ToMatch(matcher, points);
            builder.Append(CodePoints.ToText(points.AsSpan(last, match.Span.Start - last)));
            template.Expand(match, builder);
            last = match.Span.End;
            done++;
        }

        builder.Append(CodePoints.ToText(points.AsSpan(last)));
        return builder.ToString();
    }

    private Matcher NewMatcher(int[] points, MatchBudget? budget, CancellationToken cancellationToken) =>
        new(_program, points, budget ?? MatchBudget.Default, cancellationToken);

    /// <summary>The scanner loop shared by finditer, findall, split and sub (CPython 3.7+ empty-match rules).</summary>
    private static IEnumerable<bool> Scan(Matcher matcher)
    {
        var start = 0;
        while (start <= matcher.End && matcher.Search(start))
        {
            yield return true;
            matcher.MustAdvance = matcher.Ptr == matcher.Start;
            start = matcher.Ptr;
        }
    }

    private RegexMatch ToMatch(Matcher matcher, int[] points)
    {
        var groups = new (int Start, int End)?[GroupCount];
        for (var g = 0; g < GroupCount; g++)
        {
            var j = g * 2;
            if (j + 1 <= matcher.LastMark && matcher.Marks[j] >= 0 && matcher.Marks[j + 1] >= 0)
            {
                groups[g] = (matcher.Marks[j], matcher.Marks[j + 1]);
            }
        }

        return new RegexMatch(points, (matcher.Start, matcher.Ptr), groups);
    }
}
