using System.Text;
using System.Globalization;
using System.Numerics;

namespace Bot.RegexEngine;

/// <summary>Parses a str pattern the way CPython 3.11's <c>re._parser.parse</c> does, with the same accepted
/// syntax and the same error messages and positions.</summary>
public static class RegexParser
{
    internal const long MaxRepeat = 4294967295;
    private const string Digits = "0123456789";
    private const string OctDigits = "01234567";
    private const string HexDigits = "0123456789abcdefABCDEF";
    private const string SpecialChars = ".\\[{()*+?^$|";
    private const string Whitespace = " \t\n\r\v\f";

    public static RegexTree Parse(string pattern, RegexFlag flags)
    {
        var state = new ParserState { Flags = flags };
        var source = new PatternTokenizer(CodePoints.FromText(pattern));
        var root = ParseAlternation(source, state, (flags & RegexFlag.Verbose) != 0, 0);
        state.Flags = FixFlags(state.Flags);
        if (source.Next is not null)
        {
            throw source.Error("unbalanced parenthesis");
        }

        foreach (var (group, position) in state.ConditionalReferencePositions)
        {
            if (group >= state.Groups)
            {
                throw new PythonRegexError($"invalid group reference {group}", position);
            }
        }

        return new RegexTree(root, state.Groups - 1, state.GroupNames, state.Flags);
    }

    internal static RegexFlag FixFlags(RegexFlag flags)
    {
        if ((flags & RegexFlag.Locale) != 0)
        {
            throw new PythonRegexError("cannot use LOCALE flag with a str pattern", (int?)null);
        }

        if ((flags & RegexFlag.Ascii) == 0)
        {
            return flags | RegexFlag.Unicode;
        }

        if ((flags & RegexFlag.Unicode) != 0)
        {
            throw new PythonRegexError("ASCII and UNICODE flags are incompatible", (int?)null);
        }

        return flags;
    }

    private sealed class ParserState
    {
        public RegexFlag Flags { get; set; }

        public Dictionary<string, int> GroupNames { get; } = new(StringComparer.Ordinal);

        /// <summary>Index = group number; null while the group is still open (index 0 is the whole match).</summary>
        public List<(long Min, long Max)?> GroupWidths { get; } = [null];

        public int? LookbehindGroups { get; set; }

        public Dictionary<int, int> ConditionalReferencePositions { get; } = [];

        public int Groups => GroupWidths.Count;

        public bool CheckGroup(int group) => group < Groups && GroupWidths[group] is not null;

        public void CheckLookbehindGroup(int group, PatternTokenizer source)
        {
            if (LookbehindGroups is { } first)
            {
                if (!CheckGroup(group))
                {
                    throw source.Error("cannot refer to an open group");
                }

                if (group >= first)
                {
                    throw source.Error("cannot refer to group defined in the same lookbehind subpattern");
                }
            }
        }
    }

    private static RegexNode ParseAlternation(PatternTokenizer source, ParserState state, bool verbose, int nested)
    {
        var start = source.Tell();
        var branches = new List<SequenceNode>();
        while (true)
        {
            branches.Add(ParseSequence(source, state, verbose, nested + 1, nested == 0 && branches.Count == 0));
            if (!source.Match('|'))
            {
                break;
            }

            if (nested == 0)
            {
                verbose = (state.Flags & RegexFlag.Verbose) != 0;
            }
        }

        return branches.Count == 1 ? branches[0] : new AlternationNode(start, source.Tell(), branches);
    }

    private static SequenceNode ParseSequence(PatternTokenizer source, ParserState state, bool verbose, int nested, bool first = false)
    {
        var items = new List<RegexNode>();
        var sequenceStart = source.Tell();
        while (true)
        {
            var token = source.Next;
            if (token is null || (token.Length == 1 && (token[0] == '|' || token[0] == ')')))
            {
                break;
            }

            var tokenStart = source.Tell();
            source.Get();
            if (verbose)
            {
                if (token.Length == 1 && token[0] < 128 && Whitespace.Contains((char)token[0], StringComparison.Ordinal))
                {
                    continue;
                }

                if (token.Length == 1 && token[0] == '#')
                {
                    while (true)
                    {
                        var skipped = source.Get();
                        if (skipped is null || (skipped.Length == 1 && skipped[0] == '\n'))
                        {
                            break;
                        }
                    }

                    continue;
                }
            }

            if (token.Length == 2)
            {
                items.Add(ParseEscape(source, token, state, tokenStart));
                continue;
            }

            var c = token[0];
            if (c >= 128 || !SpecialChars.Contains((char)c, StringComparison.Ordinal))
            {
                items.Add(new LiteralNode(tokenStart, source.Tell(), c));
            }
            else if (c == '[')
            {
                items.Add(ParseClass(source, tokenStart));
            }
            else if (c is '?' or '*' or '+' or '{')
            {
                if (!ParseRepeat(source, items, c, tokenStart))
                {
                    items.Add(new LiteralNode(tokenStart, tokenStart + 1, '{'));
                }
            }
            else if (c == '.')
            {
                items.Add(new AnyCharNode(tokenStart, source.Tell()));
            }
            else if (c == '(')
            {
                var node = ParseParenthesis(source, state, ref verbose, nested, first, items, tokenStart);
                if (node is not null)
                {
                    items.Add(node);
                }
            }
            else if (c == '^')
            {
                items.Add(new AnchorNode(tokenStart, source.Tell(), AnchorKind.Beginning));
            }
            else
            {
                items.Add(new AnchorNode(tokenStart, source.Tell(), AnchorKind.End));
            }
        }

        return new SequenceNode(sequenceStart, source.Tell(), items);
    }

    /// <summary>Returns false when a <c>{</c> is not a quantifier and must be a literal.</summary>
    private static bool ParseRepeat(PatternTokenizer source, List<RegexNode> items, int c, int tokenStart)
    {
        var here = source.Tell();
        long min;
        long max;
        switch (c)
        {
            case '?':
                (min, max) = (0, 1);
                break;
            case '*':
                (min, max) = (0, MaxRepeat);
                break;
            case '+':
                (min, max) = (1, MaxRepeat);
                break;
            default:
                if (source.NextIs('}'))
                {
                    return false;
                }

                (min, max) = (0, MaxRepeat);
                var lo = source.GetWhile(int.MaxValue, Digits);
                string hi;
                if (source.Match(','))
                {
                    hi = source.GetWhile(int.MaxValue, Digits);
                }
                else
                {
                    hi = lo;
                }

                if (!source.Match('}'))
                {
                    source.Seek(here);
                    return false;
                }

                if (lo.Length > 0)
                {
                    min = ParseRepeatCount(lo);
                }

                if (hi.Length > 0)
                {
                    max = ParseRepeatCount(hi);
                    if (max < min)
                    {
                        throw source.Error("min repeat greater than max repeat", source.Tell() - here);
                    }
                }

                break;
        }

        var item = items.Count > 0 ? items[^1] : null;
        if (item is null or AnchorNode)
        {
            throw source.Error("nothing to repeat", source.Tell() - here + 1);
        }

        if (item is RepeatNode)
        {
            throw source.Error("multiple repeat", source.Tell() - here + 1);
        }

        var kind = source.Match('?') ? RepeatKind.Lazy : source.Match('+') ? RepeatKind.Possessive : RepeatKind.Greedy;
        long? boundedMax = max == MaxRepeat ? null : max;
        items[^1] = new RepeatNode(item.Start, source.Tell(), min, boundedMax, kind, item);
        _ = tokenStart;
        return true;
    }

    private static long ParseRepeatCount(string digits)
    {
        var value = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (value >= MaxRepeat)
        {
            throw new PythonRegexError("the repetition number is too large", (int?)null);
        }

        return (long)value;
    }

    private static RegexNode? ParseParenthesis(
        PatternTokenizer source, ParserState state, ref bool verbose, int nested, bool first, List<RegexNode> items, int start)
    {
        var capture = true;
        var atomic = false;
        string? name = null;
        RegexFlag addFlags = 0;
        RegexFlag removeFlags = 0;
        if (source.Match('?'))
        {
            var token = source.Get() ?? throw source.Error("unexpected end of pattern");
            var c = token.Length == 1 ? token[0] : -1;
            if (c == 'P')
            {
                if (source.Match('<'))
                {
                    name = source.GetUntil('>', "group name");
                    CheckGroupName(source, name, 1);
                }
                else if (source.Match('='))
                {
                    name = source.GetUntil(')', "group name");
                    CheckGroupName(source, name, 1);
                    if (!state.GroupNames.TryGetValue(name, out var group))
                    {
                        throw source.Error($"unknown group name {PythonRepr(name)}", CpLength(name) + 1);
                    }

                    if (!state.CheckGroup(group))
                    {
                        throw source.Error("cannot refer to an open group", CpLength(name) + 1);
                    }

                    state.CheckLookbehindGroup(group, source);
                    return new BackreferenceNode(start, source.Tell(), group, name);
                }
                else
                {
                    var next = source.Get() ?? throw source.Error("unexpected end of pattern");
                    throw source.Error("unknown extension ?P" + CodePoints.ToText(next), next.Length + 2);
                }
            }
            else if (c == ':')
            {
                capture = false;
            }
            else if (c == '#')
            {
                while (true)
                {
                    if (source.Next is null)
                    {
                        throw source.Error("missing ), unterminated comment", source.Tell() - start);
                    }

                    if (source.Get() is [')'])
                    {
                        break;
                    }
                }

                return null;
            }
            else if (c is '=' or '!' or '<')
            {
                var behind = false;
                int? savedLookbehind = null;
                if (c == '<')
                {
                    var next = source.Get() ?? throw source.Error("unexpected end of pattern");
                    if (next is not (['='] or ['!']))
                    {
                        throw source.Error("unknown extension ?<" + CodePoints.ToText(next), next.Length + 2);
                    }

                    c = next[0];
                    behind = true;
                    savedLookbehind = state.LookbehindGroups;
                    if (savedLookbehind is null)
                    {
                        state.LookbehindGroups = state.Groups;
                    }
                }

                var body = ParseAlternation(source, state, verbose, nested + 1);
                if (behind && savedLookbehind is null)
                {
                    state.LookbehindGroups = null;
                }

                if (!source.Match(')'))
                {
                    throw source.Error("missing ), unterminated subpattern", source.Tell() - start);
                }

                return new LookaroundNode(start, source.Tell(), behind, c == '!', body);
            }
            else if (c == '(')
            {
                return ParseConditional(source, state, verbose, nested, start);
            }
            else if (c == '>')
            {
                capture = false;
                atomic = true;
            }
            else if (c >= 0 && (FlagOf(c) is not null || c == '-'))
            {
                var parsed = ParseFlags(source, state, c);
                if (parsed is null)
                {
                    if (!first || items.Count > 0)
                    {
                        throw source.Error("global flags not at the start of the expression", source.Tell() - start);
                    }

                    verbose = (state.Flags & RegexFlag.Verbose) != 0;
                    return null;
                }

                (addFlags, removeFlags) = parsed.Value;
                capture = false;
            }
            else
            {
                throw source.Error("unknown extension ?" + CodePoints.ToText(token), token.Length + 1);
            }
        }

        int? groupNumber = null;
        if (capture)
        {
            groupNumber = state.Groups;
            state.GroupWidths.Add(null);
            if (name is not null)
            {
                if (state.GroupNames.TryGetValue(name, out var previous))
                {
                    throw source.Error(
                        $"redefinition of group name {PythonRepr(name)} as group {groupNumber}; was group {previous}", CpLength(name) + 1);
                }

                state.GroupNames[name] = groupNumber.Value;
            }
        }

        var subVerbose = (verbose || (addFlags & RegexFlag.Verbose) != 0) && (removeFlags & RegexFlag.Verbose) == 0;
        var inner = ParseAlternation(source, state, subVerbose, nested + 1);
        if (!source.Match(')'))
        {
            throw source.Error("missing ), unterminated subpattern", source.Tell() - start);
        }

        if (groupNumber is { } number)
        {
            state.GroupWidths[number] = Widths.Of(inner, state.GroupWidths);
        }

        if (atomic)
        {
            return new AtomicGroupNode(start, source.Tell(), inner);
        }

        return new GroupNode(start, source.Tell(), groupNumber, name, addFlags, removeFlags, inner);
    }

    private static ConditionalNode ParseConditional(PatternTokenizer source, ParserState state, bool verbose, int nested, int start)
    {
        var conditionName = source.GetUntil(')', "group name");
        int group;
        string? name = null;
        if (IsIdentifier(conditionName))
        {
            if (!state.GroupNames.TryGetValue(conditionName, out group))
            {
                throw source.Error($"unknown group name {PythonRepr(conditionName)}", CpLength(conditionName) + 1);
            }

            name = conditionName;
        }
        else
        {
            if (!TryParsePythonInt(conditionName, out var value) || value < 0)
            {
                throw source.Error($"bad character in group name {PythonRepr(conditionName)}", CpLength(conditionName) + 1);
            }

            if (value == 0)
            {
                throw source.Error("bad group number", CpLength(conditionName) + 1);
            }

            if (value >= 1073741823)
            {
                throw source.Error($"invalid group reference {value}", CpLength(conditionName) + 1);
            }

            group = (int)value;
            state.ConditionalReferencePositions.TryAdd(group, source.Tell() - CpLength(conditionName) - 1);
        }

        state.CheckLookbehindGroup(group, source);
        var yes = ParseSequence(source, state, verbose, nested + 1);
        SequenceNode? no = null;
        if (source.Match('|'))
        {
            no = ParseSequence(source, state, verbose, nested + 1);
            if (source.NextIs('|'))
            {
                throw source.Error("conditional backref with more than two branches");
            }
        }

        if (!source.Match(')'))
        {
            throw source.Error("missing ), unterminated subpattern", source.Tell() - start);
        }

        return new ConditionalNode(start, source.Tell(), group, name, yes, no);
    }

    private static (RegexFlag Add, RegexFlag Remove)? ParseFlags(PatternTokenizer source, ParserState state, int c)
    {
        RegexFlag add = 0;
        RegexFlag remove = 0;
        int[]? token;
        if (c != '-')
        {
            while (true)
            {
                var flag = FlagOf(c)!.Value;
                if (c == 'L')
                {
                    throw source.Error("bad inline flags: cannot use 'L' flag with a str pattern");
                }

                add |= flag;
                const RegexFlag typeFlags = RegexFlag.Ascii | RegexFlag.Locale | RegexFlag.Unicode;
                if ((flag & typeFlags) != 0 && (add & typeFlags) != flag)
                {
                    throw source.Error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
                }

                token = source.Get() ?? throw source.Error("missing -, : or )");
                if (token is [')'] or ['-'] or [':'])
                {
                    c = token[0];
                    break;
                }

                if (token.Length != 1 || FlagOf(token[0]) is null)
                {
                    var message = IsAlpha(token) ? "unknown flag" : "missing -, : or )";
                    throw source.Error(message, token.Length);
                }

                c = token[0];
            }
        }

        if (c == ')')
        {
            state.Flags |= add;
            return null;
        }

        // 't' (TEMPLATE) is the only global flag reachable here; it is rejected like Python does.
        if ((add & (RegexFlag)1) != 0)
        {
            throw source.Error("bad inline flags: cannot turn on global flag", 1);
        }

        if (c == '-')
        {
            token = source.Get() ?? throw source.Error("missing flag");
            if (token.Length != 1 || FlagOf(token[0]) is null)
            {
                throw source.Error(IsAlpha(token) ? "unknown flag" : "missing flag", token.Length);
            }

            c = token[0];
            while (true)
            {
                var flag = FlagOf(c)!.Value;
                if ((flag & (RegexFlag.Ascii | RegexFlag.Locale | RegexFlag.Unicode)) != 0)
                {
                    throw source.Error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
                }

                remove |= flag;
                token = source.Get() ?? throw source.Error("missing :");
                if (token is [':'])
                {
                    break;
                }

                if (token.Length != 1 || FlagOf(token[0]) is null)
                {
                    throw source.Error(IsAlpha(token) ? "unknown flag" : "missing :", token.Length);
                }

                c = token[0];
            }
        }

        if ((remove & (RegexFlag)1) != 0)
        {
            throw source.Error("bad inline flags: cannot turn off global flag", 1);
        }

        if ((add & remove) != 0)
        {
            throw source.Error("bad inline flags: flag turned on and off", 1);
        }

        return (add, remove);
    }

    /// <summary>The inline flag letters; 't' (TEMPLATE) maps to bit 1, which no public flag uses.</summary>
    private static RegexFlag? FlagOf(int c) => c switch
    {
        'i' => RegexFlag.IgnoreCase,
        'L' => RegexFlag.Locale,
        'm' => RegexFlag.Multiline,
        's' => RegexFlag.DotAll,
        'x' => RegexFlag.Verbose,
        'a' => RegexFlag.Ascii,
        't' => (RegexFlag)1,
        'u' => RegexFlag.Unicode,
        _ => null,
    };

    private static bool IsAlpha(int[] token) =>
        token.Length == 1 && Rune.IsValid(token[0]) && Rune.IsLetter(new Rune(token[0]));

    private static RegexNode ParseEscape(PatternTokenizer source, int[] token, ParserState state, int start)
    {
        var c = token[1];
        switch (c)
        {
            case 'A': return new AnchorNode(start, source.Tell(), AnchorKind.BeginningOfString);
            case 'Z': return new AnchorNode(start, source.Tell(), AnchorKind.EndOfString);
            case 'b': return new AnchorNode(start, source.Tell(), AnchorKind.WordBoundary);
            case 'B': return new AnchorNode(start, source.Tell(), AnchorKind.NotWordBoundary);
            case 'd': return new CategoryNode(start, source.Tell(), CharCategory.Digit);
            case 'D': return new CategoryNode(start, source.Tell(), CharCategory.NotDigit);
            case 's': return new CategoryNode(start, source.Tell(), CharCategory.Space);
            case 'S': return new CategoryNode(start, source.Tell(), CharCategory.NotSpace);
            case 'w': return new CategoryNode(start, source.Tell(), CharCategory.Word);
            case 'W': return new CategoryNode(start, source.Tell(), CharCategory.NotWord);
        }

        if (SimpleEscape(c) is { } simple)
        {
            return new LiteralNode(start, source.Tell(), simple);
        }

        var escape = "\\" + (char)Math.Min(c, 0xFFFF);
        if (c is 'x' or 'u' or 'U' or 'N')
        {
            return new LiteralNode(start, source.Tell(), ParseCodeEscape(source, c));
        }

        if (c == '0')
        {
            var octal = source.GetWhile(2, OctDigits);
            return new LiteralNode(start, source.Tell(), Convert.ToInt32("0" + octal, 8));
        }

        if (c is >= '1' and <= '9')
        {
            var digits = ((char)c).ToString();
            if (source.NextIsAny(Digits))
            {
                digits += (char)source.Get()![0];
                if (OctDigits.Contains(digits[0], StringComparison.Ordinal) && OctDigits.Contains(digits[1], StringComparison.Ordinal)
                    && source.NextIsAny(OctDigits))
                {
                    digits += (char)source.Get()![0];
                    var value = Convert.ToInt32(digits, 8);
                    if (value > 0xFF)
                    {
                        throw source.Error($"octal escape value \\{digits} outside of range 0-0o377", digits.Length + 1);
                    }

                    return new LiteralNode(start, source.Tell(), value);
                }
            }

            var group = int.Parse(digits, CultureInfo.InvariantCulture);
            if (group < state.Groups)
            {
                if (!state.CheckGroup(group))
                {
                    throw source.Error("cannot refer to an open group", digits.Length + 1);
                }

                state.CheckLookbehindGroup(group, source);
                return new BackreferenceNode(start, source.Tell(), group, null);
            }

            throw source.Error($"invalid group reference {group}", digits.Length);
        }

        if (IsAsciiLetter(c))
        {
            throw source.Error("bad escape " + escape, 2);
        }

        return new LiteralNode(start, source.Tell(), c);
    }

    private static ClassItem ParseClassEscape(PatternTokenizer source, int[] token, int start, out bool isCategory)
    {
        var c = token[1];
        isCategory = false;
        if (SimpleEscape(c) is { } simple)
        {
            return new ClassLiteral(start, source.Tell(), simple);
        }

        CharCategory? category = c switch
        {
            'd' => CharCategory.Digit,
            'D' => CharCategory.NotDigit,
            's' => CharCategory.Space,
            'S' => CharCategory.NotSpace,
            'w' => CharCategory.Word,
            'W' => CharCategory.NotWord,
            _ => null,
        };
        if (category is { } found)
        {
            isCategory = true;
            return new ClassCategory(start, source.Tell(), found);
        }

        if (c is 'x' or 'u' or 'U' or 'N')
        {
            return new ClassLiteral(start, source.Tell(), ParseCodeEscape(source, c));
        }

        if (c is >= '0' and <= '7')
        {
            var digits = ((char)c) + source.GetWhile(2, OctDigits);
            var value = Convert.ToInt32(digits, 8);
            if (value > 0xFF)
            {
                throw source.Error($"octal escape value \\{digits} outside of range 0-0o377", digits.Length + 1);
            }

            return new ClassLiteral(start, source.Tell(), value);
        }

        if (c is '8' or '9' || IsAsciiLetter(c))
        {
            throw source.Error("bad escape \\" + (char)c, 2);
        }

        return new ClassLiteral(start, source.Tell(), c);
    }

    /// <summary>The one-letter escapes that stand for a control character, shared with replacement templates.</summary>
    internal static int? SimpleEscape(int c) => c switch
    {
        'a' => 7,
        'b' => 8,
        'f' => 12,
        'n' => 10,
        'r' => 13,
        't' => 9,
        'v' => 11,
        '\\' => '\\',
        _ => null,
    };

    private static int ParseCodeEscape(PatternTokenizer source, int c)
    {
        if (c == 'N')
        {
            if (!source.Match('{'))
            {
                throw source.Error("missing {");
            }

            var name = source.GetUntil('}', "character name");
            return UnicodeNames.Lookup(name)
                ?? throw source.Error($"undefined character name {PythonRepr(name)}", CpLength(name) + 4);
        }

        var width = c switch { 'x' => 2, 'u' => 4, _ => 8 };
        var hex = source.GetWhile(width, HexDigits);
        var escape = "\\" + (char)c + hex;
        if (hex.Length != width)
        {
            throw source.Error("incomplete escape " + escape, escape.Length);
        }

        var value = long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (value > 0x10FFFF)
        {
            throw source.Error("bad escape " + escape, escape.Length);
        }

        return (int)value;
    }

    private static CharClassNode ParseClass(PatternTokenizer source, int here)
    {
        var items = new List<ClassItem>();
        var negate = source.Match('^');
        while (true)
        {
            var itemStart = source.Tell();
            var token = source.Get() ?? throw source.Error("unterminated character set", source.Tell() - here);
            if (token is [']'] && items.Count > 0)
            {
                break;
            }

            ClassItem first;
            var firstIsCategory = false;
            if (token.Length == 2)
            {
                first = ParseClassEscape(source, token, itemStart, out firstIsCategory);
            }
            else
            {
                first = new ClassLiteral(itemStart, source.Tell(), token[0]);
            }

            if (source.Match('-'))
            {
                var that = source.Get() ?? throw source.Error("unterminated character set", source.Tell() - here);
                if (that is [']'])
                {
                    items.Add(first);
                    items.Add(new ClassLiteral(source.Tell() - 2, source.Tell() - 1, '-'));
                    break;
                }

                var secondStart = source.Tell() - that.Length;
                ClassItem second;
                var secondIsCategory = false;
                if (that.Length == 2)
                {
                    second = ParseClassEscape(source, that, secondStart, out secondIsCategory);
                }
                else
                {
                    second = new ClassLiteral(secondStart, source.Tell(), that[0]);
                }

                var thisText = CodePoints.ToText(token) + (token.Length == 2 ? ExtraEscapeText(source, first) : "");
                var thatText = CodePoints.ToText(that) + (that.Length == 2 ? ExtraEscapeText(source, second) : "");
                if (firstIsCategory || secondIsCategory || first is not ClassLiteral lo || second is not ClassLiteral hi || hi.CodePoint < lo.CodePoint)
                {
                    throw source.Error($"bad character range {CodePoints.ToText(token)}-{CodePoints.ToText(that)}", token.Length + 1 + that.Length);
                }

                _ = thisText;
                _ = thatText;
                items.Add(new ClassRange(itemStart, source.Tell(), lo.CodePoint, hi.CodePoint));
            }
            else
            {
                items.Add(first);
            }
        }

        return new CharClassNode(here, source.Tell(), negate, items);
    }

    private static string ExtraEscapeText(PatternTokenizer source, ClassItem item)
    {
        _ = source;
        _ = item;
        return "";
    }

    private static void CheckGroupName(PatternTokenizer source, string name, int offset)
    {
        if (!IsIdentifier(name))
        {
            throw source.Error($"bad character in group name {PythonRepr(name)}", CpLength(name) + offset);
        }
    }

    internal static bool IsIdentifier(string name)
    {
        var points = CodePoints.FromText(name);
        if (points.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < points.Length; i++)
        {
            var cp = points[i];
            if (cp == '_')
            {
                continue;
            }

            if (!Rune.IsValid(cp))
            {
                return false;
            }

            var category = Rune.GetUnicodeCategory(new Rune(cp));
            var isStart = category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;
            var isContinue = isStart || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;
            if (i == 0 ? !isStart : !isContinue)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Python's <c>int(str)</c> for the forms a group number can take: optional sign, surrounding
    /// whitespace, ASCII digits with single underscores between them.</summary>
    internal static bool TryParsePythonInt(string text, out BigInteger value)
    {
        value = 0;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        var negative = false;
        if (trimmed[0] is '+' or '-')
        {
            negative = trimmed[0] == '-';
            trimmed = trimmed[1..];
        }

        if (trimmed.Length == 0 || trimmed[0] == '_' || trimmed[^1] == '_' || trimmed.Contains("__", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var ch in trimmed)
        {
            if (ch != '_' && !char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        value = BigInteger.Parse(trimmed.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        if (negative)
        {
            value = -value;
        }

        return true;
    }

    private static bool IsAsciiLetter(int c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    internal static int CpLength(string text) => CodePoints.FromText(text).Length;

    /// <summary>Python's <c>repr()</c> of a str, as used in error messages.</summary>
    internal static string PythonRepr(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new System.Text.StringBuilder();
        builder.Append(quote);
        foreach (var cp in CodePoints.FromText(text))
        {
            switch (cp)
            {
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (cp == quote)
                    {
                        builder.Append('\\').Append(quote);
                    }
                    else if (!UnicodeData.IsPrintable(cp))
                    {
                        builder.Append(cp < 0x100 ? $"\\x{cp:x2}" : cp < 0x10000 ? $"\\u{cp:x4}" : $"\\U{cp:x8}");
                    }
                    else
                    {
                        CodePoints.Append(builder, cp);
                    }

                    break;
            }
        }

        builder.Append(quote);
        return builder.ToString();
    }
}
