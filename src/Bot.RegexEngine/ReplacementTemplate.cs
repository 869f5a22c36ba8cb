using System.Globalization;
using System.Text;

namespace Bot.RegexEngine;

/// <summary>A <c>re.sub</c> replacement string parsed as <c>re._parser.parse_template</c> does: literal pieces and
/// group references.</summary>
public sealed class ReplacementTemplate
{
    private readonly List<(string? Literal, int Group)> _parts;

    private ReplacementTemplate(List<(string? Literal, int Group)> parts)
    {
        _parts = parts;
    }

    public static ReplacementTemplate Parse(string replacement, PythonRegex pattern)
    {
        var source = new PatternTokenizer(CodePoints.FromText(replacement));
        var parts = new List<(string? Literal, int Group)>();
        var literal = new StringBuilder();

        void AddGroup(int index, int offset)
        {
            if (index > pattern.GroupCount)
            {
                throw source.Error($"invalid group reference {index}", offset);
            }

            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), 0));
                literal.Clear();
            }

            parts.Add((null, index));
        }

        while (source.Get() is { } token)
        {
            if (token.Length == 1)
            {
                CodePoints.Append(literal, token[0]);
                continue;
            }

            var c = token[1];
            if (c == 'g')
            {
                if (!source.Match('<'))
                {
                    throw source.Error("missing <");
                }

                var name = source.GetUntil('>', "group name");
                int index;
                if (RegexParser.IsIdentifier(name))
                {
                    if (!pattern.GroupNames.TryGetValue(name, out index))
                    {
                        // Python raises IndexError here, not re.error, so there is no position.
                        throw new PythonRegexError($"unknown group name {RegexParser.PythonRepr(name)}", (int?)null);
                    }
                }
                else
                {
                    if (!RegexParser.TryParsePythonInt(name, out var value) || value < 0)
                    {
                        throw source.Error($"bad character in group name {RegexParser.PythonRepr(name)}", RegexParser.CpLength(name) + 1);
                    }

                    if (value >= 1073741823)
                    {
                        throw source.Error($"invalid group reference {value}", RegexParser.CpLength(name) + 1);
                    }

                    index = (int)value;
                }

                AddGroup(index, RegexParser.CpLength(name) + 1);
            }
            else if (c == '0')
            {
                var digits = "0";
                if (source.NextIsAny("01234567"))
                {
                    digits += (char)source.Get()![0];
                    if (source.NextIsAny("01234567"))
                    {
                        digits += (char)source.Get()![0];
                    }
                }

                literal.Append((char)(Convert.ToInt32(digits, 8) & 0xFF));
            }
            else if (c is >= '1' and <= '9')
            {
                var digits = ((char)c).ToString();
                var isOctal = false;
                if (source.NextIsAny("0123456789"))
                {
                    digits += (char)source.Get()![0];
                    if (c <= '7' && digits[1] <= '7' && source.NextIsAny("01234567"))
                    {
                        digits += (char)source.Get()![0];
                        isOctal = true;
                        var value = Convert.ToInt32(digits, 8);
                        if (value > 0xFF)
                        {
                            throw source.Error($"octal escape value \\{digits} outside of range 0-0o377", digits.Length + 1);
                        }

                        literal.Append((char)value);
                    }
                }

                if (!isOctal)
                {
                    AddGroup(int.Parse(digits, CultureInfo.InvariantCulture), digits.Length);
                }
            }
            else
            {
                int? simple = RegexParser.SimpleEscape(c);
                if (simple is { } escaped)
                {
                    literal.Append((char)escaped);
                }
                else if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z')
                {
                    throw source.Error("bad escape \\" + (char)c, 2);
                }
                else
                {
                    CodePoints.Append(literal, token[0]);
                    CodePoints.Append(literal, c);
                }
            }
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), 0));
        }

        return new ReplacementTemplate(parts);
    }

    internal void Expand(RegexMatch match, StringBuilder output)
    {
        foreach (var (literal, group) in _parts)
        {
            output.Append(literal ?? match.Group(group) ?? "");
        }
    }
}
