using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Bot.RegexEngine;

/// <summary>The backtracking matcher: a port of the control flow of CPython's <c>_sre</c> <c>SRE(match)</c>,
/// including how it saves and restores group marks, because Python's group results on backtracking and in
/// repeats follow from exactly that bookkeeping. Every call is charged against a step budget and a deadline.</summary>
internal sealed class Matcher
{
    private const int DeadlineCheckInterval = 4096;

    private readonly CompiledProgram _program;
    private readonly int[] _code;
    private readonly int[] _text;
    private readonly long _maxSteps;
    private readonly long _deadlineTicks;
    private readonly CancellationToken _cancellationToken;
    private int[] _markStack = new int[64];
    private int _markStackSize;
    private long _steps;
    private RepeatContext? _repeat;

    public Matcher(CompiledProgram program, int[] text, MatchBudget budget, CancellationToken cancellationToken)
    {
        _program = program;
        _code = program.Code;
        _text = text;
        _maxSteps = budget.MaxSteps;
        _deadlineTicks = budget.Timeout is { } timeout ? Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _cancellationToken = cancellationToken;
        Marks = new int[Math.Max(2, program.Groups * 2)];
        End = text.Length;
    }

    public int[] Marks { get; }

    public int LastMark { get; private set; } = -1;

    public int LastIndex { get; private set; } = -1;

    public int End { get; set; }

    /// <summary>Where the current attempt started (<c>state->start</c>).</summary>
    public int Start { get; private set; }

    /// <summary>Where the last successful attempt ended (<c>state->ptr</c>).</summary>
    public int Ptr { get; private set; }

    public bool MatchAll { get; set; }

    public bool MustAdvance { get; set; }

    private sealed class RepeatContext
    {
        public int Count;
        public int Pc;
        public int LastPtr = -1;
        public RepeatContext? Previous;
    }

    private void Reset()
    {
        LastMark = -1;
        LastIndex = -1;
        _repeat = null;
        _markStackSize = 0;
    }

    /// <summary><c>pattern.match</c> (or fullmatch with <see cref="MatchAll"/>) at <paramref name="start"/>.</summary>
    public bool MatchAt(int start)
    {
        Reset();
        Start = Ptr = start;
        return Run(0, toplevel: true);
    }

    /// <summary><c>SRE(search)</c> from <paramref name="start"/>; on success <see cref="Start"/> and <see cref="Ptr"/>
    /// give the span.</summary>
    public bool Search(int start)
    {
        if (start > End)
        {
            return false;
        }

        if (_program.SearchPrefix is { } prefix)
        {
            MustAdvance = false;
            for (var position = start; ; position++)
            {
                while (position < End && !prefix.Contains(_text[position]))
                {
                    position++;
                }

                if (position >= End)
                {
                    return false;
                }

                Reset();
                Start = Ptr = position;
                if (Run(0, toplevel: false))
                {
                    return true;
                }
            }
        }

        Reset();
        Start = Ptr = start;
        var found = Run(0, toplevel: true);
        MustAdvance = false;
        var ptr = start;
        while (!found && ptr < End)
        {
            ptr++;
            Reset();
            Start = Ptr = ptr;
            found = Run(0, toplevel: false);
        }

        return found;
    }

    private bool Run(int pc, bool toplevel)
    {
        try
        {
            return Match(pc, toplevel);
        }
        catch (InsufficientExecutionStackException)
        {
            throw new RegexCutoffException("The pattern nests too deeply for this text.");
        }
    }

    private void Charge()
    {
        if (++_steps > _maxSteps)
        {
            throw new RegexCutoffException($"The match used more than {_maxSteps} steps.");
        }

        if (_steps % DeadlineCheckInterval == 0)
        {
            if (Stopwatch.GetTimestamp() > _deadlineTicks)
            {
                throw new RegexCutoffException("The match ran past its deadline.");
            }

            _cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void SetMark(int i, int ptr)
    {
        if ((i & 1) != 0)
        {
            LastIndex = (i / 2) + 1;
        }

        if (i > LastMark)
        {
            for (var j = LastMark + 1; j < i; j++)
            {
                Marks[j] = -1;
            }

            LastMark = i;
        }

        Marks[i] = ptr;
    }

    private void MarkPush(int lastmark)
    {
        if (lastmark < 0)
        {
            return;
        }

        var count = lastmark + 1;
        if (_markStackSize + count > _markStack.Length)
        {
            Array.Resize(ref _markStack, Math.Max(_markStack.Length * 2, _markStackSize + count));
        }

        Array.Copy(Marks, 0, _markStack, _markStackSize, count);
        _markStackSize += count;
    }

    private void MarkPop(int lastmark, bool restore, bool discard)
    {
        if (lastmark < 0)
        {
            return;
        }

        var count = lastmark + 1;
        if (restore)
        {
            Array.Copy(_markStack, _markStackSize - count, Marks, 0, count);
        }

        if (discard)
        {
            _markStackSize -= count;
        }
    }

    private bool At(int ptr, AtCode at)
    {
        var text = _text;
        switch (at)
        {
            case AtCode.Beginning:
            case AtCode.BeginningString:
                return ptr == 0;
            case AtCode.BeginningLine:
                return ptr == 0 || text[ptr - 1] == '\n';
            case AtCode.End:
                return (ptr + 1 == End && text[ptr] == '\n') || ptr == End;
            case AtCode.EndLine:
                return ptr == End || text[ptr] == '\n';
            case AtCode.EndString:
                return ptr == End;
            default:
                {
                    if (End == 0)
                    {
                        return false;
                    }

                    var unicode = at is AtCode.UniBoundary or AtCode.UniNonBoundary;
                    var before = ptr > 0 && (unicode ? UnicodeData.IsWord(text[ptr - 1]) : UnicodeData.IsAsciiWord(text[ptr - 1]));
                    var here = ptr < End && (unicode ? UnicodeData.IsWord(text[ptr]) : UnicodeData.IsAsciiWord(text[ptr]));
                    return at is AtCode.Boundary or AtCode.UniBoundary ? before != here : before == here;
                }
        }
    }

    /// <summary>Whether the single-character instruction at <paramref name="pc"/> accepts <paramref name="ch"/>.</summary>
    private bool Unit(int pc, int ch)
    {
        var operand = _code[pc + 1];
        return (Op)_code[pc] switch
        {
            Op.Any => ch != '\n',
            Op.AnyAll => true,
            Op.Literal => ch == operand,
            Op.NotLiteral => ch != operand,
            Op.LiteralIgnore => UnicodeData.AsciiLower(ch) == operand,
            Op.NotLiteralIgnore => UnicodeData.AsciiLower(ch) != operand,
            Op.LiteralUniIgnore => UnicodeData.ToLower(ch) == operand,
            Op.NotLiteralUniIgnore => UnicodeData.ToLower(ch) != operand,
            Op.In => _program.Sets[operand].Contains(ch),
            Op.InIgnore => _program.Sets[operand].Contains(UnicodeData.AsciiLower(ch)),
            Op.InUniIgnore => _program.Sets[operand].Contains(UnicodeData.ToLower(ch)),
            _ => throw new InvalidOperationException("Not a single-character instruction."),
        };
    }

    private int Count(int pc, int ptr, int max)
    {
        var limit = max < 0 ? End : (int)Math.Min(End, (long)ptr + max);
        var start = ptr;
        while (ptr < limit && Unit(pc, _text[ptr]))
        {
            ptr++;
        }

        _steps += (ptr - start) >> 4;
        return ptr - start;
    }

    private bool GroupSpan(int group, out int start, out int end)
    {
        var index = group * 2;
        start = end = -1;
        if (index >= LastMark)
        {
            return false;
        }

        start = Marks[index];
        end = Marks[index + 1];
        return start >= 0 && end >= 0 && end >= start;
    }

    private bool Match(int pc, bool toplevel)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new InsufficientExecutionStackException();
        }

        Charge();
        var code = _code;
        var text = _text;
        var end = End;
        var ptr = Ptr;
        while (true)
        {
            switch ((Op)code[pc])
            {
                case Op.Failure:
                    return false;
                case Op.Success:
                    if (toplevel && ((MatchAll && ptr != End) || (MustAdvance && ptr == Start)))
                    {
                        return false;
                    }

                    Ptr = ptr;
                    return true;
                case Op.Mark:
                    SetMark(code[pc + 1], ptr);
                    pc += 2;
                    break;
                case Op.At:
                    if (!At(ptr, (AtCode)code[pc + 1]))
                    {
                        return false;
                    }

                    pc += 2;
                    break;
                case Op.Any:
                case Op.AnyAll:
                    if (ptr >= end || !Unit(pc, text[ptr]))
                    {
                        return false;
                    }

                    pc += 1;
                    ptr++;
                    break;
                case Op.Literal:
                case Op.NotLiteral:
                case Op.LiteralIgnore:
                case Op.NotLiteralIgnore:
                case Op.LiteralUniIgnore:
                case Op.NotLiteralUniIgnore:
                case Op.In:
                case Op.InIgnore:
                case Op.InUniIgnore:
                    if (ptr >= end || !Unit(pc, text[ptr]))
                    {
                        return false;
                    }

                    pc += 2;
                    ptr++;
                    break;
                case Op.Jump:
                    pc = code[pc + 1];
                    break;
                case Op.Branch:
                    {
                        var lastmark = LastMark;
                        var lastindex = LastIndex;
                        if (_repeat is not null)
                        {
                            MarkPush(lastmark);
                        }

                        for (var header = pc + 1; code[header] >= 0; header = code[header])
                        {
                            Ptr = ptr;
                            if (Match(header + 1, toplevel))
                            {
                                if (_repeat is not null)
                                {
                                    MarkPop(lastmark, restore: false, discard: true);
                                }

                                return true;
                            }

                            if (_repeat is not null)
                            {
                                MarkPop(lastmark, restore: true, discard: false);
                            }

                            LastMark = lastmark;
                            LastIndex = lastindex;
                        }

                        if (_repeat is not null)
                        {
                            MarkPop(lastmark, restore: false, discard: true);
                        }

                        return false;
                    }

                case Op.RepeatOne:
                    {
                        var tail = code[pc + 1];
                        var min = code[pc + 2];
                        var max = code[pc + 3];
                        if ((long)ptr + min > end)
                        {
                            return false;
                        }

                        var count = Count(pc + 4, ptr, max);
                        ptr += count;
                        if (count < min)
                        {
                            return false;
                        }

                        if ((Op)code[tail] == Op.Success && ptr == End && !(toplevel && MustAdvance && ptr == Start))
                        {
                            Ptr = ptr;
                            return true;
                        }

                        var lastmark = LastMark;
                        var lastindex = LastIndex;
                        if (_repeat is not null)
                        {
                            MarkPush(lastmark);
                        }

                        while (count >= min)
                        {
                            Ptr = ptr;
                            if (Match(tail, toplevel))
                            {
                                if (_repeat is not null)
                                {
                                    MarkPop(lastmark, restore: false, discard: true);
                                }

                                return true;
                            }

                            if (_repeat is not null)
                            {
                                MarkPop(lastmark, restore: true, discard: false);
                            }

                            LastMark = lastmark;
                            LastIndex = lastindex;
                            ptr--;
                            count--;
                        }

                        if (_repeat is not null)
                        {
                            MarkPop(lastmark, restore: false, discard: true);
                        }

                        return false;
                    }

                case Op.MinRepeatOne:
                    {
                        var tail = code[pc + 1];
                        var min = code[pc + 2];
                        var max = code[pc + 3];
                        if ((long)ptr + min > end)
                        {
                            return false;
                        }

                        var count = 0;
                        if (min > 0)
                        {
                            count = Count(pc + 4, ptr, min);
                            if (count < min)
                            {
                                return false;
                            }

                            ptr += count;
                        }

                        if ((Op)code[tail] == Op.Success && !(toplevel && ((MatchAll && ptr != End) || (MustAdvance && ptr == Start))))
                        {
                            Ptr = ptr;
                            return true;
                        }

                        var lastmark = LastMark;
                        var lastindex = LastIndex;
                        if (_repeat is not null)
                        {
                            MarkPush(lastmark);
                        }

                        while (max < 0 || count <= max)
                        {
                            Ptr = ptr;
                            if (Match(tail, toplevel))
                            {
                                if (_repeat is not null)
                                {
                                    MarkPop(lastmark, restore: false, discard: true);
                                }

                                return true;
                            }

                            if (_repeat is not null)
                            {
                                MarkPop(lastmark, restore: true, discard: false);
                            }

                            LastMark = lastmark;
                            LastIndex = lastindex;
                            Charge();
                            if (ptr >= end || !Unit(pc + 4, text[ptr]))
                            {
                                break;
                            }

                            ptr++;
                            count++;
                        }

                        if (_repeat is not null)
                        {
                            MarkPop(lastmark, restore: false, discard: true);
                        }

                        return false;
                    }

                case Op.PossessiveRepeatOne:
                    {
                        var min = code[pc + 2];
                        var max = code[pc + 3];
                        if ((long)ptr + min > end)
                        {
                            return false;
                        }

                        var count = Count(pc + 4, ptr, max);
                        ptr += count;
                        if (count < min)
                        {
                            return false;
                        }

                        pc = code[pc + 1];
                        break;
                    }

                case Op.Repeat:
                    {
                        var repeat = new RepeatContext { Count = -1, Pc = pc, Previous = _repeat };
                        _repeat = repeat;
                        Ptr = ptr;
                        var matched = Match(code[pc + 1], toplevel);
                        _repeat = repeat.Previous;
                        return matched;
                    }

                case Op.MaxUntil:
                    {
                        var repeat = _repeat ?? throw new InvalidOperationException("MAX_UNTIL outside a repeat.");
                        Ptr = ptr;
                        var count = repeat.Count + 1;
                        var min = code[repeat.Pc + 2];
                        var max = code[repeat.Pc + 3];
                        if (count < min)
                        {
                            repeat.Count = count;
                            if (Match(repeat.Pc + 4, toplevel))
                            {
                                return true;
                            }

                            repeat.Count = count - 1;
                            Ptr = ptr;
                            return false;
                        }

                        if ((count < max || max < 0) && Ptr != repeat.LastPtr)
                        {
                            repeat.Count = count;
                            var lastmark = LastMark;
                            var lastindex = LastIndex;
                            MarkPush(lastmark);
                            var savedLastPtr = repeat.LastPtr;
                            repeat.LastPtr = Ptr;
                            var matched = Match(repeat.Pc + 4, toplevel);
                            repeat.LastPtr = savedLastPtr;
                            if (matched)
                            {
                                MarkPop(lastmark, restore: false, discard: true);
                                return true;
                            }

                            MarkPop(lastmark, restore: true, discard: true);
                            LastMark = lastmark;
                            LastIndex = lastindex;
                            repeat.Count = count - 1;
                            Ptr = ptr;
                        }

                        _repeat = repeat.Previous;
                        var tailMatched = Match(pc + 1, toplevel);
                        _repeat = repeat;
                        if (tailMatched)
                        {
                            return true;
                        }

                        Ptr = ptr;
                        return false;
                    }

                case Op.MinUntil:
                    {
                        var repeat = _repeat ?? throw new InvalidOperationException("MIN_UNTIL outside a repeat.");
                        Ptr = ptr;
                        var count = repeat.Count + 1;
                        var min = code[repeat.Pc + 2];
                        var max = code[repeat.Pc + 3];
                        if (count < min)
                        {
                            repeat.Count = count;
                            if (Match(repeat.Pc + 4, toplevel))
                            {
                                return true;
                            }

                            repeat.Count = count - 1;
                            Ptr = ptr;
                            return false;
                        }

                        _repeat = repeat.Previous;
                        var lastmark = LastMark;
                        var lastindex = LastIndex;
                        var tailRepeat = _repeat;
                        if (tailRepeat is not null)
                        {
                            MarkPush(lastmark);
                        }

                        var tailMatched = Match(pc + 1, toplevel);
                        var repeatOfTail = _repeat;
                        _repeat = repeat;
                        if (tailMatched)
                        {
                            if (repeatOfTail is not null)
                            {
                                MarkPop(lastmark, restore: false, discard: true);
                            }

                            return true;
                        }

                        if (repeatOfTail is not null)
                        {
                            MarkPop(lastmark, restore: true, discard: true);
                        }

                        LastMark = lastmark;
                        LastIndex = lastindex;
                        Ptr = ptr;
                        if ((count >= max && max >= 0) || Ptr == repeat.LastPtr)
                        {
                            return false;
                        }

                        repeat.Count = count;
                        var savedLastPtr = repeat.LastPtr;
                        repeat.LastPtr = Ptr;
                        var matched = Match(repeat.Pc + 4, toplevel);
                        repeat.LastPtr = savedLastPtr;
                        if (matched)
                        {
                            return true;
                        }

                        repeat.Count = count - 1;
                        Ptr = ptr;
                        return false;
                    }

                case Op.PossessiveRepeat:
                    {
                        var min = code[pc + 2];
                        var max = code[pc + 3];
                        var body = pc + 4;
                        Ptr = ptr;
                        var count = 0;
                        while (count < min)
                        {
                            if (!Match(body, toplevel: false))
                            {
                                Ptr = ptr;
                                return false;
                            }

                            count++;
                        }

                        var previous = -1;
                        while ((count < max || max < 0) && Ptr != previous)
                        {
                            var lastmark = LastMark;
                            var lastindex = LastIndex;
                            MarkPush(lastmark);
                            previous = Ptr;
                            if (Match(body, toplevel: false))
                            {
                                MarkPop(lastmark, restore: false, discard: true);
                                count++;
                            }
                            else
                            {
                                MarkPop(lastmark, restore: true, discard: true);
                                LastMark = lastmark;
                                LastIndex = lastindex;
                                Ptr = previous;
                                break;
                            }
                        }

                        pc = code[pc + 1] + 1;
                        ptr = Ptr;
                        break;
                    }

                case Op.AtomicGroup:
                    Ptr = ptr;
                    if (!Match(pc + 2, toplevel: false))
                    {
                        Ptr = ptr;
                        return false;
                    }

                    pc = code[pc + 1];
                    ptr = Ptr;
                    break;
                case Op.GroupRef:
                case Op.GroupRefIgnore:
                case Op.GroupRefUniIgnore:
                    {
                        if (!GroupSpan(code[pc + 1], out var p, out var e))
                        {
                            return false;
                        }

                        var op = (Op)code[pc];
                        while (p < e)
                        {
                            if (ptr >= end)
                            {
                                return false;
                            }

                            var same = op switch
                            {
                                Op.GroupRef => text[ptr] == text[p],
                                Op.GroupRefIgnore => UnicodeData.AsciiLower(text[ptr]) == UnicodeData.AsciiLower(text[p]),
                                _ => UnicodeData.ToLower(text[ptr]) == UnicodeData.ToLower(text[p]),
                            };
                            if (!same)
                            {
                                return false;
                            }

                            p++;
                            ptr++;
                        }

                        pc += 2;
                        break;
                    }

                case Op.GroupRefExists:
                    pc = GroupSpan(code[pc + 1], out _, out _) ? pc + 3 : code[pc + 2];
                    break;
                case Op.Assert:
                    {
                        var back = code[pc + 2];
                        if (ptr < back)
                        {
                            return false;
                        }

                        Ptr = ptr - back;
                        if (!Match(pc + 3, toplevel: false))
                        {
                            return false;
                        }

                        pc = code[pc + 1];
                        break;
                    }

                case Op.AssertNot:
                    {
                        var back = code[pc + 2];
                        if (ptr >= back)
                        {
                            Ptr = ptr - back;
                            var lastmark = LastMark;
                            var lastindex = LastIndex;
                            if (_repeat is not null)
                            {
                                MarkPush(lastmark);
                            }

                            if (Match(pc + 3, toplevel: false))
                            {
                                if (_repeat is not null)
                                {
                                    MarkPop(lastmark, restore: false, discard: true);
                                }

                                return false;
                            }

                            if (_repeat is not null)
                            {
                                MarkPop(lastmark, restore: true, discard: true);
                            }

                            LastMark = lastmark;
                            LastIndex = lastindex;
                        }

                        pc = code[pc + 1];
                        break;
                    }

                default:
                    throw new InvalidOperationException($"Unknown instruction {code[pc]}.");
            }
        }
    }
}
