namespace Bot.RegexEngine;

/// <summary>Python's <c>re</c> flags that a str pattern can carry (values as in <c>re.RegexFlag</c>).</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after Python's re.RegexFlag, which it mirrors.")]
public enum RegexFlag
{
    None = 0,
    IgnoreCase = 2,
    Locale = 4,
    Multiline = 8,
    DotAll = 16,
    Unicode = 32,
    Verbose = 64,
    Ascii = 256,
}

/// <summary>How a quantifier backtracks: <c>*</c> greedy, <c>*?</c> lazy, <c>*+</c> possessive.</summary>
public enum RepeatKind
{
    Greedy,
    Lazy,
    Possessive,
}

/// <summary>Zero-width anchors: <c>^ $ \A \Z \b \B</c>.</summary>
public enum AnchorKind
{
    /// <summary><c>^</c>: start of string, or of any line under MULTILINE.</summary>
    Beginning,
    /// <summary><c>$</c>: end of string or before a final newline, or end of any line under MULTILINE.</summary>
    End,
    /// <summary><c>\A</c>.</summary>
    BeginningOfString,
    /// <summary><c>\Z</c>.</summary>
    EndOfString,
    /// <summary><c>\b</c>.</summary>
    WordBoundary,
    /// <summary><c>\B</c>.</summary>
    NotWordBoundary,
}

/// <summary>The class escapes <c>\d \D \s \S \w \W</c>.</summary>
public enum CharCategory
{
    Digit,
    NotDigit,
    Space,
    NotSpace,
    Word,
    NotWord,
}

/// <summary>A parsed pattern: the root node, the capture groups, and the flags in force at the top level
/// (the flags argument plus global inline flags such as a leading <c>(?i)</c>).</summary>
public sealed record RegexTree(RegexNode Root, int GroupCount, IReadOnlyDictionary<string, int> GroupNames, RegexFlag Flags);

/// <summary>A node of the parsed pattern. <see cref="Start"/> and <see cref="End"/> are code-point offsets of
/// the node's source text in the pattern (End exclusive).</summary>
public abstract record RegexNode(int Start, int End);

/// <summary>Items in order (concatenation). An empty sequence matches the empty string.</summary>
public sealed record SequenceNode(int Start, int End, IReadOnlyList<RegexNode> Items) : RegexNode(Start, End);

/// <summary><c>a|b|c</c>; each branch is a <see cref="SequenceNode"/>.</summary>
public sealed record AlternationNode(int Start, int End, IReadOnlyList<SequenceNode> Branches) : RegexNode(Start, End);

/// <summary>One literal character (also from escapes such as <c>\n</c>, <c>\x41</c>, <c>\N{...}</c>).</summary>
public sealed record LiteralNode(int Start, int End, int CodePoint) : RegexNode(Start, End);

/// <summary><c>.</c></summary>
public sealed record AnyCharNode(int Start, int End) : RegexNode(Start, End);

/// <summary><c>\d \w \s</c> and their negations outside a character class.</summary>
public sealed record CategoryNode(int Start, int End, CharCategory Category) : RegexNode(Start, End);

/// <summary><c>[...]</c> or <c>[^...]</c>.</summary>
public sealed record CharClassNode(int Start, int End, bool Negated, IReadOnlyList<ClassItem> Items) : RegexNode(Start, End);

/// <summary>A member of a character class.</summary>
public abstract record ClassItem(int Start, int End);

public sealed record ClassLiteral(int Start, int End, int CodePoint) : ClassItem(Start, End);

public sealed record ClassRange(int Start, int End, int First, int Last) : ClassItem(Start, End);

public sealed record ClassCategory(int Start, int End, CharCategory Category) : ClassItem(Start, End);

public sealed record AnchorNode(int Start, int End, AnchorKind Kind) : RegexNode(Start, End);

/// <summary><c>(...)</c>, <c>(?P&lt;name&gt;...)</c>, <c>(?:...)</c>, <c>(?i:...)</c> / <c>(?-i:...)</c>.
/// <see cref="Number"/> is null for a non-capturing group.</summary>
public sealed record GroupNode(int Start, int End, int? Number, string? Name, RegexFlag AddFlags, RegexFlag RemoveFlags, RegexNode Body)
    : RegexNode(Start, End);

/// <summary><c>(?&gt;...)</c></summary>
public sealed record AtomicGroupNode(int Start, int End, RegexNode Body) : RegexNode(Start, End);

/// <summary><c>(?=...)</c>, <c>(?!...)</c>, <c>(?&lt;=...)</c>, <c>(?&lt;!...)</c>.</summary>
public sealed record LookaroundNode(int Start, int End, bool Behind, bool Negative, RegexNode Body) : RegexNode(Start, End);

/// <summary><c>* + ? {m,n}</c> with their lazy and possessive forms. <see cref="Max"/> is null when unbounded.</summary>
public sealed record RepeatNode(int Start, int End, long Min, long? Max, RepeatKind Kind, RegexNode Body) : RegexNode(Start, End);

/// <summary><c>\1</c> or <c>(?P=name)</c>.</summary>
public sealed record BackreferenceNode(int Start, int End, int Group, string? Name) : RegexNode(Start, End);

/// <summary><c>(?(1)yes|no)</c> or <c>(?(name)yes|no)</c>; <see cref="No"/> is null without a <c>|</c>.</summary>
public sealed record ConditionalNode(int Start, int End, int Group, string? Name, SequenceNode Yes, SequenceNode? No) : RegexNode(Start, End);
