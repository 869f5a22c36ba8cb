namespace Bot.RegexEngine;

/// <summary>Turns a parsed tree into matcher instructions the way CPython 3.11's <c>re._compiler._compile</c>
/// does, including its case-folding decisions (which literals and sets compare lowercased, and the extra
/// case equivalents), because those decisions are visible in what matches.</summary>
internal sealed class RegexCompiler
{
    private readonly List<int> _code = [];
    private readonly List<CharSet> _sets = [];
    private readonly List<(long Min, long Max)?> _groupWidths;

    private RegexCompiler(List<(long Min, long Max)?> groupWidths)
    {
        _groupWidths = groupWidths;
    }

    public static CompiledProgram Compile(RegexTree tree)
    {
        var widths = new List<(long Min, long Max)?> { null };
        CollectGroupWidths(tree.Root, widths, tree.GroupCount);
        var compiler = new RegexCompiler(widths);
        compiler.Emit(tree.Root, tree.Flags);
        compiler._code.Add((int)Op.Success);
        return new CompiledProgram([.. compiler._code], [.. compiler._sets], tree.GroupCount, SearchPrefix(tree, widths));
    }

    /// <summary>The first-character set that <c>_sre</c>'s search uses to skip start positions (the INFO block's
    /// charset). Python compiles its categories with the top-level flags even when the first item sits in a
    /// scoped <c>(?u:...)</c> or <c>(?a:...)</c> group, so <c>(?u:\w)</c> under ASCII still skips non-ASCII
    /// letters; reproducing the set reproduces that.</summary>
    private static CharSet? SearchPrefix(RegexTree tree, List<(long Min, long Max)?> widths)
    {
        if (Widths.Compute(tree.Root, widths).Min == 0)
        {
            return null;
        }

        var node = tree.Root;
        var flags = tree.Flags;
        while (true)
        {
            if (node is not SequenceNode sequence || sequence.Items.Count == 0)
            {
                return null;
            }

            if (sequence.Items[0] is GroupNode group)
            {
                flags = Combine(flags, group.AddFlags, group.RemoveFlags);
                node = group.Body;
                continue;
            }

            node = sequence.Items[0];
            break;
        }

        var ignoreCase = (flags & RegexFlag.IgnoreCase) != 0;
        Func<int, bool> isCased = (flags & RegexFlag.Unicode) != 0 ? UnicodeData.IsCased : UnicodeData.AsciiIsCased;
        var topLevelUnicode = (tree.Flags & RegexFlag.Unicode) != 0;
        var tail = new List<(SetItemKind, int, int)>();
        bool negate;
        switch (node)
        {
            case CategoryNode category:
                negate = false;
                tail.Add((SetItemKind.Category, (int)Categories.From(category.Category, topLevelUnicode), 0));
                break;
            case CharClassNode charClass when charClass.Items.Distinct().Count() > 1 || charClass.Items[0] is not ClassLiteral:
                negate = charClass.Negated;
                foreach (var item in charClass.Items)
                {
                    switch (item)
                    {
                        case ClassLiteral literal:
                            if (ignoreCase && isCased(literal.CodePoint))
                            {
                                return null;
                            }

                            tail.Add((SetItemKind.Literal, literal.CodePoint, 0));
                            break;
                        case ClassRange range:
                            if (ignoreCase)
                            {
                                if (range.Last > 0xFFFF)
                                {
                                    return null;
                                }

                                for (var ch = range.First; ch <= range.Last; ch++)
                                {
                                    if (isCased(ch))
                                    {
                                        return null;
                                    }
                                }
                            }

                            tail.Add((SetItemKind.Range, range.First, range.Last));
                            break;
                        case ClassCategory category:
                            tail.Add((SetItemKind.Category, (int)Categories.From(category.Category, topLevelUnicode), 0));
                            break;
                    }
                }

                break;
            default:
                return null;
        }

        return new CharSet(negate, null, tail);
    }

    private static void CollectGroupWidths(RegexNode root, List<(long Min, long Max)?> widths, int groups)
    {
        for (var i = 0; i < groups; i++)
        {
            widths.Add(null);
        }

        void Visit(RegexNode node)
        {
            foreach (var child in Children(node))
            {
                Visit(child);
            }

            if (node is GroupNode { Number: { } number } group)
            {
                widths[number] = Widths.Of(group.Body, widths);
            }
        }

        Visit(root);
    }

    internal static IEnumerable<RegexNode> Children(RegexNode node) => node switch
    {
        SequenceNode sequence => sequence.Items,
        AlternationNode alternation => alternation.Branches,
        GroupNode group => [group.Body],
        AtomicGroupNode atomic => [atomic.Body],
        LookaroundNode look => [look.Body],
        RepeatNode repeat => [repeat.Body],
        ConditionalNode conditional => conditional.No is null ? [conditional.Yes] : [conditional.Yes, conditional.No],
        _ => [],
    };

    private void Add(Op op) => _code.Add((int)op);

    private int Placeholder()
    {
        _code.Add(0);
        return _code.Count - 1;
    }

    private static RegexFlag Combine(RegexFlag flags, RegexFlag add, RegexFlag remove)
    {
        const RegexFlag typeFlags = RegexFlag.Ascii | RegexFlag.Locale | RegexFlag.Unicode;
        if ((add & typeFlags) != 0)
        {
            flags &= ~typeFlags;
        }

        return (flags | add) & ~remove;
    }

    private void Emit(RegexNode node, RegexFlag flags)
    {
        var ignoreCase = (flags & RegexFlag.IgnoreCase) != 0;
        var unicode = (flags & RegexFlag.Unicode) != 0;
        switch (node)
        {
            case SequenceNode sequence:
                foreach (var item in sequence.Items)
                {
                    Emit(item, flags);
                }

                break;
            case LiteralNode literal:
                EmitLiteral(literal.CodePoint, negated: false, flags);
                break;
            case CharClassNode charClass:
                EmitClass(charClass, flags);
                break;
            case CategoryNode category:
                EmitSet([new ClassCategory(category.Start, category.End, category.Category)], negate: false, flags);
                break;
            case AnyCharNode:
                Add((flags & RegexFlag.DotAll) != 0 ? Op.AnyAll : Op.Any);
                break;
            case RepeatNode repeat:
                EmitRepeat(repeat, flags);
                break;
            case GroupNode group:
                if (group.Number is { } number)
                {
                    Add(Op.Mark);
                    _code.Add((number - 1) * 2);
                }

                Emit(group.Body, Combine(flags, group.AddFlags, group.RemoveFlags));
                if (group.Number is { } closing)
                {
                    Add(Op.Mark);
                    _code.Add(((closing - 1) * 2) + 1);
                }

                break;
            case AtomicGroupNode atomic:
                {
                    Add(Op.AtomicGroup);
                    var tail = Placeholder();
                    Emit(atomic.Body, flags);
                    Add(Op.Success);
                    _code[tail] = _code.Count;
                    break;
                }

            case LookaroundNode look:
                {
                    Add(look.Negative ? Op.AssertNot : Op.Assert);
                    var tail = Placeholder();
                    if (look.Behind)
                    {
                        var (lo, hi) = Widths.Compute(look.Body, _groupWidths);
                        if (lo > uint.MaxValue)
                        {
                            throw new PythonRegexError("looks too much behind", (int?)null);
                        }

                        if (lo != hi)
                        {
                            throw new PythonRegexError("look-behind requires fixed-width pattern", (int?)null);
                        }

                        _code.Add((int)lo);
                    }
                    else
                    {
                        _code.Add(0);
                    }

                    Emit(look.Body, flags);
                    Add(Op.Success);
                    _code[tail] = _code.Count;
                    break;
                }

            case AnchorNode anchor:
                {
                    var multiline = (flags & RegexFlag.Multiline) != 0;
                    var at = anchor.Kind switch
                    {
                        AnchorKind.Beginning => multiline ? AtCode.BeginningLine : AtCode.Beginning,
                        AnchorKind.End => multiline ? AtCode.EndLine : AtCode.End,
                        AnchorKind.BeginningOfString => AtCode.BeginningString,
                        AnchorKind.EndOfString => AtCode.EndString,
                        AnchorKind.WordBoundary => unicode ? AtCode.UniBoundary : AtCode.Boundary,
                        _ => unicode ? AtCode.UniNonBoundary : AtCode.NonBoundary,
                    };
                    Add(Op.At);
                    _code.Add((int)at);
                    break;
                }

            case AlternationNode alternation:
                {
                    Add(Op.Branch);
                    var jumps = new List<int>();
                    foreach (var branch in alternation.Branches)
                    {
                        var next = Placeholder();
                        Emit(branch, flags);
                        Add(Op.Jump);
                        jumps.Add(Placeholder());
                        _code[next] = _code.Count;
                    }

                    // The header after the last alternative marks the end of the list.
                    _code.Add(-1);
                    foreach (var jump in jumps)
                    {
                        _code[jump] = _code.Count;
                    }

                    break;
                }

            case BackreferenceNode reference:
                Add(!ignoreCase ? Op.GroupRef : unicode ? Op.GroupRefUniIgnore : Op.GroupRefIgnore);
                _code.Add(reference.Group - 1);
                break;
            case ConditionalNode conditional:
                {
                    Add(Op.GroupRefExists);
                    _code.Add(conditional.Group - 1);
                    var noTarget = Placeholder();
                    Emit(conditional.Yes, flags);
                    if (conditional.No is { Items.Count: > 0 } no)
                    {
                        Add(Op.Jump);
                        var end = Placeholder();
                        _code[noTarget] = _code.Count;
                        Emit(no, flags);
                        _code[end] = _code.Count;
                    }
                    else
                    {
                        _code[noTarget] = _code.Count;
                    }

                    break;
                }

            default:
                throw new InvalidOperationException($"Unknown node {node.GetType().Name}.");
        }
    }

    private void EmitLiteral(int cp, bool negated, RegexFlag flags)
    {
        var ignoreCase = (flags & RegexFlag.IgnoreCase) != 0;
        var unicode = (flags & RegexFlag.Unicode) != 0;
        if (!ignoreCase || !(unicode ? UnicodeData.IsCased(cp) : UnicodeData.AsciiIsCased(cp)))
        {
            Add(negated ? Op.NotLiteral : Op.Literal);
            _code.Add(cp);
            return;
        }

        if (!unicode)
        {
            Add(negated ? Op.NotLiteralIgnore : Op.LiteralIgnore);
            _code.Add(UnicodeData.AsciiLower(cp));
            return;
        }

        var lower = UnicodeData.ToLower(cp);
        if (!UnicodeData.ExtraCases.TryGetValue(lower, out var extra))
        {
            Add(negated ? Op.NotLiteralUniIgnore : Op.LiteralUniIgnore);
            _code.Add(lower);
            return;
        }

        var tail = new List<(SetItemKind, int, int)> { (SetItemKind.Literal, lower, 0) };
        tail.AddRange(extra.Select(k => (SetItemKind.Literal, k, 0)));
        Add(Op.InUniIgnore);
        _code.Add(AddSet(new CharSet(negated, null, tail)));
    }

    private int AddSet(CharSet set)
    {
        _sets.Add(set);
        return _sets.Count - 1;
    }

    private void EmitClass(CharClassNode charClass, RegexFlag flags)
    {
        // The parser keeps first occurrences only; a set of one literal becomes a (NOT_)LITERAL.
        var unique = new List<ClassItem>();
        var seen = new HashSet<(int, int, int)>();
        foreach (var item in charClass.Items)
        {
            var key = item switch
            {
                ClassLiteral literal => (0, literal.CodePoint, 0),
                ClassRange range => (1, range.First, range.Last),
                ClassCategory category => (2, (int)category.Category, 0),
                _ => (3, 0, 0),
            };
            if (seen.Add(key))
            {
                unique.Add(item);
            }
        }

        if (unique is [ClassLiteral single])
        {
            EmitLiteral(single.CodePoint, charClass.Negated, flags);
            return;
        }

        EmitSet(unique, charClass.Negated, flags);
    }

    private void EmitSet(IReadOnlyList<ClassItem> items, bool negate, RegexFlag flags)
    {
        var ignoreCase = (flags & RegexFlag.IgnoreCase) != 0;
        var unicode = (flags & RegexFlag.Unicode) != 0;
        Func<int, int>? fixup = ignoreCase ? (unicode ? UnicodeData.ToLower : UnicodeData.AsciiLower) : null;
        Func<int, bool> isCased = unicode ? UnicodeData.IsCased : UnicodeData.AsciiIsCased;
        var fixes = ignoreCase && unicode ? UnicodeData.ExtraCases : null;
        ulong[]? bmp = null;
        var tail = new List<(SetItemKind, int, int)>();
        var hasCased = false;

        void Set(int ch)
        {
            bmp ??= new ulong[1024];
            bmp[ch >> 6] |= 1UL << (ch & 63);
        }

        foreach (var item in items)
        {
            switch (item)
            {
                case ClassLiteral literal:
                    if (fixup is not null)
                    {
                        var lo = fixup(literal.CodePoint);
                        if (lo > 0xFFFF)
                        {
                            hasCased = true;
                            tail.Add((SetItemKind.Literal, literal.CodePoint, 0));
                            break;
                        }

                        Set(lo);
                        if (fixes is not null && fixes.TryGetValue(lo, out var extra))
                        {
                            foreach (var k in extra)
                            {
                                Set(k);
                            }
                        }

                        hasCased |= isCased(literal.CodePoint);
                    }
                    else if (literal.CodePoint > 0xFFFF)
                    {
                        tail.Add((SetItemKind.Literal, literal.CodePoint, 0));
                    }
                    else
                    {
                        Set(literal.CodePoint);
                    }

                    break;
                case ClassRange range:
                    {
                        var overflowed = false;
                        for (var ch = range.First; ch <= range.Last; ch++)
                        {
                            var mapped = fixup is null ? ch : fixup(ch);
                            if (mapped > 0xFFFF)
                            {
                                overflowed = true;
                                break;
                            }

                            Set(mapped);
                            if (fixes is not null && fixes.TryGetValue(mapped, out var extra))
                            {
                                foreach (var k in extra)
                                {
                                    Set(k);
                                }
                            }
                        }

                        if (overflowed)
                        {
                            if (fixup is not null)
                            {
                                hasCased = true;
                                tail.Add((SetItemKind.RangeUniIgnore, range.First, range.Last));
                            }
                            else
                            {
                                tail.Add((SetItemKind.Range, range.First, range.Last));
                            }
                        }
                        else if (fixup is not null && !hasCased)
                        {
                            for (var ch = range.First; ch <= range.Last && !hasCased; ch++)
                            {
                                hasCased = isCased(ch);
                            }
                        }

                        break;
                    }

                case ClassCategory category:
                    tail.Add((SetItemKind.Category, (int)Categories.From(category.Category, unicode), 0));
                    break;
            }
        }

        Add(!hasCased ? Op.In : unicode ? Op.InUniIgnore : Op.InIgnore);
        _code.Add(AddSet(new CharSet(negate, bmp, tail)));
    }

    private void EmitRepeat(RepeatNode repeat, RegexFlag flags)
    {
        // Counts beyond int.MaxValue behave the same as int.MaxValue on any text this engine can hold.
        var min = (int)Math.Min(repeat.Min, int.MaxValue);
        var max = repeat.Max is { } bounded ? (int)Math.Min(bounded, int.MaxValue) : -1;
        if (IsSimple(repeat.Body))
        {
            Add(repeat.Kind switch { RepeatKind.Greedy => Op.RepeatOne, RepeatKind.Lazy => Op.MinRepeatOne, _ => Op.PossessiveRepeatOne });
            var tail = Placeholder();
            _code.Add(min);
            _code.Add(max);
            Emit(repeat.Body, flags);
            Add(Op.Success);
            _code[tail] = _code.Count;
        }
        else
        {
            Add(repeat.Kind == RepeatKind.Possessive ? Op.PossessiveRepeat : Op.Repeat);
            var until = Placeholder();
            _code.Add(min);
            _code.Add(max);
            Emit(repeat.Body, flags);
            _code[until] = _code.Count;
            Add(repeat.Kind switch { RepeatKind.Greedy => Op.MaxUntil, RepeatKind.Lazy => Op.MinUntil, _ => Op.Success });
        }
    }

    /// <summary><c>_simple</c>: one single-character item, possibly inside non-capturing groups.</summary>
    private static bool IsSimple(RegexNode node)
    {
        while (true)
        {
            switch (node)
            {
                case SequenceNode { Items: [var only] }:
                    node = only;
                    continue;
                case GroupNode { Number: null } group:
                    node = group.Body;
                    continue;
                case LiteralNode or AnyCharNode or CategoryNode or CharClassNode:
                    return true;
                default:
                    return false;
            }
        }
    }
}
