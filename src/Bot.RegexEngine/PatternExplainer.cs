using System.Globalization;
using System.Text;

namespace Bot.RegexEngine;

/// <summary>Explains a parsed pattern token by token in plain words, as a nested Markdown list.</summary>
public static class PatternExplainer
{
    private const int MaxLines = 60;

    public static string Explain(PythonRegex regex)
    {
        ArgumentNullException.ThrowIfNull(regex);
        var context = new Context(CodePoints.FromText(regex.Pattern));
        var lines = new List<string>();
        var flags = FlagNames(regex.Tree.Flags & ~RegexFlag.Unicode);
        if (flags.Length > 0)
        {
            lines.Add($"- Flags: {flags}");
        }

        Describe(regex.Tree.Root, regex.Tree.Flags, depth: 0, context, lines);
        if (lines.Count == 0)
        {
            lines.Add("- The empty pattern: it matches the empty string at every position.");
        }

        if (lines.Count > MaxLines)
        {
            lines = [.. lines.Take(MaxLines), $"- … and {lines.Count - MaxLines} more parts."];
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The outermost repeat whose body can itself match the same text in several ways (an inner
    /// repeat or an alternation): the usual cause of catastrophic backtracking, e.g. <c>(a+)+</c>.
    /// </summary>
    public static (RepeatNode Outer, RegexNode Inner)? FindNestedQuantifier(RegexTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return Find(tree.Root);

        static (RepeatNode, RegexNode)? Find(RegexNode node)
        {
            if (node is RepeatNode { Max: null or > 1 } repeat && Ambiguous(repeat.Body) is { } inner)
            {
                return (repeat, inner);
            }

            return RegexCompiler.Children(node).Select(Find).FirstOrDefault(found => found is not null);
        }

        static RegexNode? Ambiguous(RegexNode node) => node switch
        {
            RepeatNode { Max: null or > 1, Kind: not RepeatKind.Possessive } inner => inner,
            AlternationNode alternation => alternation,
            AtomicGroupNode or LookaroundNode => null,
            _ => RegexCompiler.Children(node).Select(Ambiguous).FirstOrDefault(found => found is not null),
        };
    }

    /// <summary>The pattern text of a node (its code points <c>Start..End</c>).</summary>
    public static string Source(string pattern, RegexNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var codePoints = CodePoints.FromText(pattern);
        return CodePoints.ToText(codePoints.AsSpan(node.Start, node.End - node.Start));
    }

    private static void Describe(RegexNode node, RegexFlag flags, int depth, Context context, List<string> lines)
    {
        if (node is SequenceNode sequence)
        {
            DescribeSequence(sequence, flags, depth, context, lines);
            return;
        }

        var indent = new string(' ', depth * 2);
        var token = CodeSpan(context.Text(node.Start, node.End));
        switch (node)
        {
            case AlternationNode alternation:
                lines.Add($"{indent}- {token}: one of {alternation.Branches.Count} alternatives, tried left to right:");
                foreach (var branch in alternation.Branches)
                {
                    if (branch.Items.Count == 0)
                    {
                        lines.Add($"{indent}  - (empty): matches the empty string");
                    }
                    else
                    {
                        DescribeSequence(branch, flags, depth + 1, context, lines);
                    }
                }

                break;
            case GroupNode group:
                var inner = (flags | group.AddFlags) & ~group.RemoveFlags;
                var what = group.Number is { } number
                    ? group.Name is { } name ? $"capture group {number}, named {CodeSpan(name)}" : $"capture group {number}"
                    : "a group that does not capture";
                if (group.AddFlags != 0 || group.RemoveFlags != 0)
                {
                    what += FlagChange(group.AddFlags, group.RemoveFlags);
                }

                lines.Add($"{indent}- {token}: {what}, matching:");
                Describe(group.Body, inner, depth + 1, context, lines);
                break;
            case AtomicGroupNode atomic:
                lines.Add($"{indent}- {token}: an atomic group: once its contents match, it never gives characters back to let the rest match");
                Describe(atomic.Body, flags, depth + 1, context, lines);
                break;
            case LookaroundNode look:
                var where = look.Behind ? "the text just before this point" : "the text that follows";
                lines.Add($"{indent}- {token}: a look{(look.Behind ? "behind" : "ahead")}: {where} must {(look.Negative ? "not " : "")}match this, without consuming it:");
                Describe(look.Body, flags, depth + 1, context, lines);
                break;
            case RepeatNode repeat when IsSimple(repeat.Body):
                lines.Add($"{indent}- {token}: {Single(repeat.Body, flags, context)}, {Count(repeat)}");
                break;
            case RepeatNode repeat:
                lines.Add($"{indent}- {token}: {Count(repeat)}, this:");
                Describe(repeat.Body, flags, depth + 1, context, lines);
                break;
            case BackreferenceNode reference:
                var target = reference.Name is null ? $"group {reference.Group}" : $"group {CodeSpan(reference.Name)}";
                lines.Add($"{indent}- {token}: the same text that {target} matched{(flags.HasFlag(RegexFlag.IgnoreCase) ? ", ignoring case" : "")}");
                break;
            case ConditionalNode conditional:
                var condition = conditional.Name is null ? $"group {conditional.Group}" : $"group {CodeSpan(conditional.Name)}";
                lines.Add($"{indent}- {token}: if {condition} has matched, then:");
                Describe(conditional.Yes, flags, depth + 1, context, lines);
                if (conditional.No is not null)
                {
                    lines.Add($"{indent}  - otherwise:");
                    Describe(conditional.No, flags, depth + 2, context, lines);
                }

                break;
            default:
                lines.Add($"{indent}- {token}: {Single(node, flags, context)}");
                break;
        }
    }

    private static void DescribeSequence(SequenceNode sequence, RegexFlag flags, int depth, Context context, List<string> lines)
    {
        var indent = new string(' ', depth * 2);
        for (var index = 0; index < sequence.Items.Count; index++)
        {
            if (sequence.Items[index] is LiteralNode first)
            {
                var last = index;
                while (last + 1 < sequence.Items.Count && sequence.Items[last + 1] is LiteralNode)
                {
                    last++;
                }

                if (last > index)
                {
                    var literal = string.Concat(sequence.Items.Skip(index).Take(last - index + 1).Cast<LiteralNode>().Select(node => CodePoints.Display(node.CodePoint)));
                    var token = CodeSpan(context.Text(first.Start, sequence.Items[last].End));
                    lines.Add($"{indent}- {token}: the text {Quote(literal)}{CaseNote(flags, literal)}");
                    index = last;
                    continue;
                }
            }

            Describe(sequence.Items[index], flags, depth, context, lines);
        }
    }

    private static bool IsSimple(RegexNode node) => node is LiteralNode or AnyCharNode or CategoryNode or CharClassNode or BackreferenceNode;

    private static string Single(RegexNode node, RegexFlag flags, Context context) => node switch
    {
        LiteralNode literal => $"the character {Character(literal.CodePoint)}{CaseNote(flags, CodePoints.Display(literal.CodePoint))}",
        AnyCharNode => flags.HasFlag(RegexFlag.DotAll) ? "any character, newlines included (DOTALL)" : "any character except a newline",
        CategoryNode category => Category(category.Category, flags),
        CharClassNode set => Set(set, flags),
        AnchorNode anchor => Anchor(anchor.Kind, flags),
        BackreferenceNode reference => $"the same text that group {reference.Name ?? reference.Group.ToString(CultureInfo.InvariantCulture)} matched",
        _ => CodeSpan(context.Text(node.Start, node.End)),
    };

    private static string Count(RepeatNode repeat)
    {
        var times = (repeat.Min, repeat.Max) switch
        {
            (0, null) => "zero or more times",
            (1, null) => "one or more times",
            (0, 1) => "optional (zero times or once)",
            (var min, null) => $"{min} or more times",
            (var min, long max) when min == max => max == 1 ? "exactly once" : $"exactly {max} times",
            (0, long max) => $"at most {max} times",
            (var min, long max) => $"between {min} and {max} times",
        };
        var how = repeat.Kind switch
        {
            RepeatKind.Lazy => "as few as possible (lazy)",
            RepeatKind.Possessive => "as many as possible, never giving any back (possessive)",
            _ => "as many as possible (greedy)",
        };
        return repeat.Min == repeat.Max ? times : $"{times}, {how}";
    }

    private static string Category(CharCategory category, RegexFlag flags)
    {
        var ascii = flags.HasFlag(RegexFlag.Ascii);
        return category switch
        {
            CharCategory.Digit => ascii ? "a digit 0–9" : "a decimal digit in any script (0–9, ٣, ３ …)",
            CharCategory.NotDigit => ascii ? "any character except 0–9" : "any character that is not a decimal digit",
            CharCategory.Space => ascii ? "an ASCII whitespace character (space, \\t, \\n, \\r, \\f, \\v)" : "a whitespace character (space, tab, newline, no-break space …)",
            CharCategory.NotSpace => "any character that is not whitespace",
            CharCategory.Word => ascii ? "a word character: a–z, A–Z, 0–9 or _" : "a word character: a letter or digit in any script, or _",
            CharCategory.NotWord => "any character that is not a word character",
            _ => category.ToString(),
        };
    }

    private static string Set(CharClassNode set, RegexFlag flags)
    {
        var items = set.Items.Select(item => item switch
        {
            ClassLiteral literal => Character(literal.CodePoint),
            ClassRange range => $"{Character(range.First)} to {Character(range.Last)}",
            ClassCategory category => Category(category.Category, flags),
            _ => "?",
        }).ToList();
        var list = items.Count switch
        {
            0 => "nothing",
            1 => items[0],
            _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
        };
        return (set.Negated ? $"one character that is not {list}" : $"one character: {list}") + CaseNote(flags);
    }

    private static string Anchor(AnchorKind kind, RegexFlag flags) => kind switch
    {
        AnchorKind.Beginning => flags.HasFlag(RegexFlag.Multiline) ? "the start of a line (MULTILINE)" : "the start of the text",
        AnchorKind.End => flags.HasFlag(RegexFlag.Multiline) ? "the end of a line (MULTILINE)" : "the end of the text, or just before a newline that ends it",
        AnchorKind.BeginningOfString => "the very start of the text",
        AnchorKind.EndOfString => "the very end of the text",
        AnchorKind.WordBoundary => "a word boundary (between a word character and a non-word character or the edge of the text)",
        AnchorKind.NotWordBoundary => "a position that is not a word boundary",
        _ => kind.ToString(),
    };

    private static string CaseNote(RegexFlag flags, string? text = null) =>
        flags.HasFlag(RegexFlag.IgnoreCase) && (text is null || text.Any(char.IsLetter)) ? ", ignoring case" : "";

    private static string FlagChange(RegexFlag add, RegexFlag remove)
    {
        var parts = new List<string>();
        if (add != 0)
        {
            parts.Add($"{FlagNames(add)} on");
        }

        if (remove != 0)
        {
            parts.Add($"{FlagNames(remove)} off");
        }

        return " with " + string.Join(" and ", parts);
    }

    private static string FlagNames(RegexFlag flags)
    {
        (RegexFlag Flag, string Name)[] names =
        [
            (RegexFlag.IgnoreCase, "IGNORECASE (i)"), (RegexFlag.Multiline, "MULTILINE (m)"), (RegexFlag.DotAll, "DOTALL (s)"),
            (RegexFlag.Verbose, "VERBOSE (x)"), (RegexFlag.Ascii, "ASCII (a)"), (RegexFlag.Unicode, "UNICODE (u)"),
        ];
        return string.Join(", ", names.Where(entry => flags.HasFlag(entry.Flag)).Select(entry => entry.Name));
    }

    private static string Character(int codePoint) => codePoint switch
    {
        '\n' => "a newline (\\n)",
        '\t' => "a tab (\\t)",
        '\r' => "a carriage return (\\r)",
        ' ' => "a space",
        '`' => "a backtick",
        _ when codePoint < 0x20 || codePoint is >= 0x7f and < 0xa0 => string.Create(CultureInfo.InvariantCulture, $"U+{codePoint:X4}"),
        _ when CodePoints.IsSurrogate(codePoint) => string.Create(CultureInfo.InvariantCulture, $"U+{codePoint:X4} (a lone surrogate)"),
        _ => CodeSpan(char.ConvertFromUtf32(codePoint)),
    };

    private static string Quote(string text) => CodeSpan(text);

    /// <summary>A Markdown code span that holds any text, backticks included.</summary>
    public static string CodeSpan(string text)
    {
        var longestRun = 0;
        var run = 0;
        foreach (var character in text)
        {
            run = character == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }

        var fence = new string('`', longestRun + 1);
        var padding = text.StartsWith('`') || text.EndsWith('`') || (text.StartsWith(' ') && text.EndsWith(' ') && text.Trim().Length > 0) ? " " : "";
        return fence + padding + text.Replace("\n", "\\n", StringComparison.Ordinal) + padding + fence;
    }

    private sealed class Context(int[] pattern)
    {
        public string Text(int start, int end) => CodePoints.ToText(pattern.AsSpan(start, end - start));
    }
}
