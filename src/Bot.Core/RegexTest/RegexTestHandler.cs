using System.Globalization;
using System.Text;
using Bot.Core.Commands;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Bot.RegexEngine;

namespace Bot.Core.RegexTest;

public enum RegexMode
{
    FindIter,
    Search,
    Match,
    FullMatch,
    FindAll,
    Split,
    Sub,
}

/// <summary>The pattern ran: the matches (with group spans) and, for findall, split and sub, Python's result.</summary>
public sealed record RegexTested(RegexMode Mode, IReadOnlyList<RegexMatch> Matches, string? Result) : CommandOutcome;

/// <summary>Python would raise <c>re.error</c> (or a bad input was given): the message, and the position if any.</summary>
public sealed record RegexRejected(string Message, int? Position, bool InvalidInput) : CommandOutcome;

/// <summary>The match was stopped by the step or time budget.</summary>
public sealed record RegexCutOff(string? NestedQuantifier) : CommandOutcome;

/// <summary><c>/regex-test</c>: Python's <c>re</c> on the user's pattern and text, with marks, groups and an explanation.</summary>
public sealed class RegexTestHandler(RegexTestLimits limits) : ICommandHandler<RegexTestRequest>, IDisposable
{
    public static string CommandName => CommandCatalog.RegexTest.Name;

    /// <summary>Deep but legitimate backtracking recurses; a big stack lets it finish instead of being cut off early.</summary>
    private const int MatcherStackBytes = 64 * 1024 * 1024;

    private const int MaxListedMatches = 10;

    /// <summary>Groups listed per match; a pattern may have a hundred.</summary>
    private const int MaxListedGroups = 5;

    /// <summary>
    /// What each part of a reply may take, in characters: the marked text, Python's result, the match
    /// list and the explanation. Together they stay within one Discord message and a few Slack blocks,
    /// whatever the text and pattern, and each part says when it left something out.
    /// </summary>
    private const int MaxPartLength = 1_400;

    private static readonly Dictionary<string, RegexMode> Modes = Enum.GetValues<RegexMode>()
        .ToDictionary(mode => mode.ToString().ToLowerInvariant(), StringComparer.OrdinalIgnoreCase);

    private static readonly (string Start, string Hint)[] Hints =
    [
        ("nothing to repeat", "A quantifier (`*`, `+`, `?`, `{n}`) must follow something to repeat. To match the symbol itself, escape it, e.g. `\\*`."),
        ("multiple repeat", "Two quantifiers in a row. For a lazy repeat write `*?`, for a possessive one `*+`; to repeat a repeat, group it: `(?:a+)*`."),
        ("bad escape", "Python knows only its own escapes (`\\d \\w \\s \\b \\n \\t \\x41 \\u00e9 \\N{...}` …). To match a backslash, write `\\\\`."),
        ("look-behind requires fixed-width pattern", "Everything in `(?<=...)` and `(?<!...)` must match a fixed number of characters: no `*`, `+` or alternatives of different lengths."),
        ("unterminated character set", "A `[` opens a character class that needs a closing `]`. To match `[` itself, write `\\[`."),
        ("missing ), unterminated subpattern", "A `(` is never closed; add `)` or escape it as `\\(`."),
        ("unbalanced parenthesis", "A `)` has no matching `(`; remove it or escape it as `\\)`."),
        ("global flags not at the start", "Inline flags such as `(?i)` must open the pattern; for part of it use a scoped group `(?i:...)`."),
    ];

    private readonly SemaphoreSlim _running = new(limits.MaxConcurrent, limits.MaxConcurrent);

    Task<CommandResult> ICommandHandler<RegexTestRequest>.HandleAsync(RegexTestRequest request, Caller caller, CancellationToken cancellationToken) =>
        HandleAsync(request, cancellationToken);

    public async Task<CommandResult> HandleAsync(RegexTestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Validate(request) is { } problem)
        {
            return new(CommandName, ProblemReply.Create("Cannot run this test", problem), new RegexRejected(problem, null, InvalidInput: true));
        }

        var mode = Modes[string.IsNullOrWhiteSpace(request.Mode) ? "finditer" : request.Mode.Trim()];
        var flags = PythonRegex.ParseFlagLetters(request.Flags ?? "")!.Value;
        PythonRegex regex;
        try
        {
            regex = PythonRegex.Compile(request.Pattern, flags);
        }
        catch (PythonRegexError error)
        {
            return new(CommandName, SyntaxError(request.Pattern, error), new RegexRejected(error.Message, error.Position, InvalidInput: false));
        }

        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var budget = new MatchBudget(limits.MaxSteps, limits.Timeout);
            var run = await OnLargeStack(() => Run(regex, mode, request, budget, cancellationToken)).ConfigureAwait(false);
            return run switch
            {
                RegexTested tested => new(CommandName, Success(regex, request, tested), tested),
                RegexRejected rejected => new(CommandName, TemplateError(request.Replacement!, rejected), rejected),
                _ => new(CommandName, CutOff(regex), new RegexCutOff(NestedQuantifierText(regex))),
            };
        }
        finally
        {
            _running.Release();
        }
    }

    private string? Validate(RegexTestRequest request)
    {
        if (request.Pattern.Length > limits.MaxPatternLength)
        {
            return $"The pattern is {request.Pattern.Length:N0} characters long; the limit is {limits.MaxPatternLength:N0}.";
        }

        if (request.Text.Length > limits.MaxTextLength)
        {
            return $"The test text is {request.Text.Length:N0} characters long; the limit is {limits.MaxTextLength:N0}.";
        }

        var mode = string.IsNullOrWhiteSpace(request.Mode) ? "finditer" : request.Mode.Trim();
        if (!Modes.TryGetValue(mode, out var parsedMode))
        {
            return $"Unknown mode `{MarkdownText.Escape(TextClip.Clip(mode, 20))}`: use one of {string.Join(", ", Modes.Keys.Select(name => $"`{name}`"))}.";
        }

        var unknownFlags = (request.Flags ?? "").Where(letter => !"imsxa".Contains(letter, StringComparison.Ordinal)).Distinct().ToList();
        if (unknownFlags.Count > 0)
        {
            return $"Unknown flag{(unknownFlags.Count > 1 ? "s" : "")} `{MarkdownText.Escape(new string([.. unknownFlags.Take(10)]))}`: use letters from `imsxa` (i IGNORECASE, m MULTILINE, s DOTALL, x VERBOSE, a ASCII).";
        }

        if (parsedMode == RegexMode.Sub && request.Replacement is null)
        {
            return "Mode `sub` needs a replacement, e.g. `\\g<1>`.";
        }

        if (parsedMode != RegexMode.Sub && request.Replacement is not null)
        {
            return "A replacement is only used with mode `sub`.";
        }

        if (request.Replacement is { Length: > 0 } replacement && replacement.Length > limits.MaxPatternLength)
        {
            return $"The replacement is {replacement.Length:N0} characters long; the limit is {limits.MaxPatternLength:N0}.";
        }

        return null;
    }

    private static CommandOutcome? Run(PythonRegex regex, RegexMode mode, RegexTestRequest request, MatchBudget budget, CancellationToken cancellationToken)
    {
        try
        {
            var text = request.Text;
            switch (mode)
            {
                case RegexMode.Search or RegexMode.Match or RegexMode.FullMatch:
                    var match = mode switch
                    {
                        RegexMode.Search => regex.Search(text, budget, cancellationToken),
                        RegexMode.Match => regex.Match(text, budget, cancellationToken),
                        _ => regex.FullMatch(text, budget, cancellationToken),
                    };
                    return new RegexTested(mode, match is null ? [] : [match], null);
                case RegexMode.FindAll:
                    var found = regex.FindAll(text, budget, cancellationToken);
                    var items = regex.GroupCount <= 1
                        ? PythonRepr.List(found.Select(item => item[0]))
                        : "[" + string.Join(", ", found.Select(PythonRepr.Tuple)) + "]";
                    return new RegexTested(mode, regex.FindIter(text, budget, cancellationToken), items);
                case RegexMode.Split:
                    return new RegexTested(mode, regex.FindIter(text, budget, cancellationToken), PythonRepr.List(regex.Split(text, 0, budget, cancellationToken)));
                case RegexMode.Sub:
                    string replaced;
                    try
                    {
                        replaced = regex.Sub(request.Replacement!, text, 0, budget, cancellationToken);
                    }
                    catch (PythonRegexError error)
                    {
                        return new RegexRejected(error.Message, error.Position, InvalidInput: false);
                    }

                    return new RegexTested(mode, regex.FindIter(text, budget, cancellationToken), PythonRepr.Of(replaced));
                default:
                    return new RegexTested(mode, regex.FindIter(text, budget, cancellationToken), null);
            }
        }
        catch (RegexCutoffException)
        {
            return null;
        }
    }

    private static Task<T> OnLargeStack<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        }, MatcherStackBytes) { IsBackground = true, Name = "regex-test" };
        thread.Start();
        return completion.Task;
    }

    private static Reply Success(PythonRegex regex, RegexTestRequest request, RegexTested tested)
    {
        var body = new StringBuilder();
        var text = CodePoints.FromText(request.Text);
        if (tested.Matches.Count > 0)
        {
            body.Append("```\n").Append(Lines(MatchMarks.Render(text, tested.Matches, regex), "… more marks left out")).Append("\n```\n\n");
        }

        if (tested.Result is not null)
        {
            var result = tested.Result.Length <= MaxPartLength ? tested.Result : TextClip.Clip(tested.Result, MaxPartLength);
            body.Append(CultureInfo.InvariantCulture, $"**Result** (`re.{tested.Mode.ToString().ToLowerInvariant()}`, as Python prints it):\n\n```python\n{result}\n```\n\n");
            if (result.Length < tested.Result.Length)
            {
                body.Append(CultureInfo.InvariantCulture, $"The result is {tested.Result.Length:N0} characters long; the first {result.Length - 1:N0} are shown.\n\n");
            }
        }

        if (tested.Matches.Count == 0)
        {
            body.Append(tested.Mode switch
            {
                RegexMode.Match => "No match. `match` only tries at the very start of the text; use mode `search` to look anywhere.",
                RegexMode.FullMatch => "No match. `fullmatch` needs the pattern to match the whole text, from the first character to the last.",
                _ => "No match anywhere in the text.",
            }).Append("\n\n");
        }
        else
        {
            AppendMatchList(body, tested.Matches, regex);
        }

        body.Append("**How the pattern reads**\n\n").Append(Lines(PatternExplainer.Explain(regex), "- … the rest of the pattern is left out"));
        var count = tested.Matches.Count;
        return new Reply
        {
            Title = count == 0 ? "Regex: no match" : count == 1 ? "Regex: 1 match" : $"Regex: {count} matches",
            Body = body.ToString(),
            Tone = count == 0 ? ReplyTone.Warning : ReplyTone.Success,
        };
    }

    private static void AppendMatchList(StringBuilder body, IReadOnlyList<RegexMatch> matches, PythonRegex regex)
    {
        var names = regex.GroupNames.ToDictionary(entry => entry.Value, entry => entry.Key);
        var list = new StringBuilder();
        foreach (var (match, index) in matches.Take(MaxListedMatches).Select((match, index) => (match, index)))
        {
            list.Append(CultureInfo.InvariantCulture, $"{index + 1}. {Code(match.Value)} at {match.Span.Start}–{match.Span.End}");
            for (var group = 1; group <= Math.Min(match.Groups.Count, MaxListedGroups); group++)
            {
                var label = names.TryGetValue(group, out var name) ? $"group {group} ({name})" : $"group {group}";
                list.Append(match.Groups[group - 1] is { } span
                    ? string.Create(CultureInfo.InvariantCulture, $"; {label} {Code(match.Group(group)!)} at {span.Start}–{span.End}")
                    : $"; {label} did not take part");
            }

            if (match.Groups.Count > MaxListedGroups)
            {
                list.Append(CultureInfo.InvariantCulture, $"; and {match.Groups.Count - MaxListedGroups} more groups");
            }

            list.Append('\n');
        }

        body.Append("**Matches** (spans count characters from 0, as Python does)\n\n").Append(Lines(list.ToString().TrimEnd(), "… more of these matches left out")).Append('\n');
        if (matches.Count > MaxListedMatches)
        {
            body.Append(CultureInfo.InvariantCulture, $"\n… and {matches.Count - MaxListedMatches:N0} more.\n");
        }

        body.Append('\n');
    }

    /// <summary>The first whole lines of <paramref name="text"/> that fit <see cref="MaxPartLength"/>, then <paramref name="note"/> when some were left out.</summary>
    private static string Lines(string text, string note)
    {
        if (text.Length <= MaxPartLength)
        {
            return text;
        }

        var cut = text.LastIndexOf('\n', MaxPartLength);
        return cut > 0 ? string.Concat(text.AsSpan(0, cut), "\n", note) : string.Concat(TextClip.Clip(text, MaxPartLength), "\n", note);
    }

    private static Reply SyntaxError(string pattern, PythonRegexError error)
    {
        var body = new StringBuilder();
        var where = error.Position is { } position ? $" at position {position}" : "";
        body.Append(CultureInfo.InvariantCulture, $"Python rejects this pattern: `re.error: {error.Message}{where}`.\n\n");
        if (error.Position is { } at && !pattern.Contains('\n', StringComparison.Ordinal))
        {
            var codePoints = CodePoints.FromText(pattern);
            body.Append("```\n").Append(MatchMarks.Caret(codePoints, at)).Append("\n```\n\n");
        }

        if (Hints.FirstOrDefault(hint => error.Message.StartsWith(hint.Start, StringComparison.Ordinal)).Hint is { } text)
        {
            body.Append(text);
        }

        return ProblemReply.Create("Regex: syntax error", body.ToString().TrimEnd());
    }

    private static Reply TemplateError(string replacement, RegexRejected rejected)
    {
        var where = rejected.Position is { } position ? $" at position {position}" : "";
        var body = $"Python rejects the replacement {Code(replacement)}: `re.error: {rejected.Message}{where}`.\n\n" +
            "In a replacement, `\\1` or `\\g<1>` inserts group 1, `\\g<name>` a named group, `\\g<0>` the whole match; write `\\\\` for a backslash.";
        return ProblemReply.Create("Regex: bad replacement", body);
    }

    private Reply CutOff(PythonRegex regex)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"I stopped matching after {limits.MaxSteps:N0} steps: on this text the pattern backtracks catastrophically, trying exponentially many ways to split the same characters before it can give up. Python would keep going for seconds, minutes or longer.\n\n");
        if (PatternExplainer.FindNestedQuantifier(regex.Tree) is var (outer, inner))
        {
            var outerText = PatternExplainer.Source(regex.Pattern, outer);
            var innerText = PatternExplainer.Source(regex.Pattern, inner);
            var codePoints = CodePoints.FromText(regex.Pattern);
            if (!regex.Pattern.Contains('\n', StringComparison.Ordinal))
            {
                body.Append("```\n").Append(MatchMarks.Underline(codePoints, outer.Start, outer.End)).Append("\n```\n\n");
            }

            body.Append(CultureInfo.InvariantCulture,
                $"The cause is the nested quantifier {Code(outerText)}: it repeats {Code(innerText)}, which can itself match the same characters in more than one way. ");
            body.Append("Fixes: make the inner part unambiguous (e.g. `(a+)+` → `a+`), use an atomic group `(?>...)` or a possessive quantifier (`a++`), which never give characters back.");
        }
        else
        {
            body.Append("Look for a repeated part that can match the same characters in more than one way, and make it unambiguous, or use an atomic group `(?>...)` or a possessive quantifier (`a++`).");
        }

        return new Reply { Title = "Regex: stopped (catastrophic backtracking)", Body = body.ToString(), Tone = ReplyTone.Warning };
    }

    private static string? NestedQuantifierText(PythonRegex regex) =>
        PatternExplainer.FindNestedQuantifier(regex.Tree) is var (outer, _) ? PatternExplainer.Source(regex.Pattern, outer) : null;

    public void Dispose() => _running.Dispose();

    private static string Code(string text) =>
        text.Length == 0 ? "(empty)" : PatternExplainer.CodeSpan(TextClip.Clip(text, 60));
}
