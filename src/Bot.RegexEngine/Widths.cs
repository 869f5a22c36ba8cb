namespace Bot.RegexEngine;

/// <summary>Python's <c>SubPattern.getwidth()</c>: the fewest and most characters a node can match, saturating at
/// 2**64 the way Python's MAXWIDTH does.</summary>
internal static class Widths
{
    public static readonly Int128 MaxWidth = Int128.One << 64;

    public static (long Min, long Max) Of(RegexNode node, IReadOnlyList<(long Min, long Max)?> groupWidths)
    {
        var (lo, hi) = Compute(node, groupWidths);
        return (Clamp(lo), Clamp(hi));
    }

    public static (Int128 Min, Int128 Max) Compute(RegexNode node, IReadOnlyList<(long Min, long Max)?> groupWidths)
    {
        switch (node)
        {
            case SequenceNode sequence:
                Int128 lo = 0;
                Int128 hi = 0;
                foreach (var item in sequence.Items)
                {
                    var (l, h) = Compute(item, groupWidths);
                    lo = Min(lo + l);
                    hi = Min(hi + h);
                }

                return (lo, hi);
            case AlternationNode alternation:
                Int128 least = MaxWidth;
                Int128 most = 0;
                foreach (var branch in alternation.Branches)
                {
                    var (l, h) = Compute(branch, groupWidths);
                    least = Int128.Min(least, l);
                    most = Int128.Max(most, h);
                }

                return (least, most);
            case GroupNode group:
                return Compute(group.Body, groupWidths);
            case AtomicGroupNode atomic:
                return Compute(atomic.Body, groupWidths);
            case RepeatNode repeat:
                {
                    var (l, h) = Compute(repeat.Body, groupWidths);
                    var min = Min(l * repeat.Min);
                    var max = repeat.Max is null ? (h != 0 ? MaxWidth : 0) : Min(h * repeat.Max.Value);
                    return (min, max);
                }

            case LiteralNode or AnyCharNode or CategoryNode or CharClassNode:
                return (1, 1);
            case BackreferenceNode reference:
                {
                    var width = groupWidths[reference.Group] ?? (0, 0);
                    return (width.Min == long.MaxValue ? MaxWidth : width.Min, width.Max == long.MaxValue ? MaxWidth : width.Max);
                }

            case ConditionalNode conditional:
                {
                    var (l, h) = Compute(conditional.Yes, groupWidths);
                    if (conditional.No is not null)
                    {
                        var (nl, nh) = Compute(conditional.No, groupWidths);
                        return (Int128.Min(l, nl), Int128.Max(h, nh));
                    }

                    return (0, h);
                }

            default:
                return (0, 0);
        }
    }

    private static Int128 Min(Int128 value) => Int128.Min(value, MaxWidth);

    private static long Clamp(Int128 value) => value >= long.MaxValue ? long.MaxValue : (long)value;
}
