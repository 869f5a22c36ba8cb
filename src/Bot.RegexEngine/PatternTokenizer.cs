using System.Text;

namespace Bot.RegexEngine;

/// <summary>Python's <c>re._parser.Tokenizer</c> over code points: a token is one character, or a backslash
/// and the character after it.</summary>
internal sealed class PatternTokenizer
{
    private readonly int[] _text;
    private int _index;

    public PatternTokenizer(int[] text)
    {
        _text = text;
        Advance();
    }

    /// <summary>The next token, or null at the end; an escape is two code points.</summary>
    public int[]? Next { get; private set; }

    public int Length => _text.Length;

    public int Tell() => _index - (Next?.Length ?? 0);

    public bool NextIs(int codePoint) => Next is { Length: 1 } next && next[0] == codePoint;

    public bool NextIsAny(string chars) => Next is { Length: 1 } next && next[0] < 128 && chars.Contains((char)next[0], StringComparison.Ordinal);

    public bool Match(int codePoint)
    {
        if (NextIs(codePoint))
        {
            Advance();
            return true;
        }

        return false;
    }

    public int[]? Get()
    {
        var token = Next;
        Advance();
        return token;
    }

    public string GetWhile(int count, string chars)
    {
        var result = new StringBuilder();
        for (var i = 0; i < count && NextIsAny(chars); i++)
        {
            result.Append((char)Next![0]);
            Advance();
        }

        return result.ToString();
    }

    public string GetUntil(int terminator, string name)
    {
        var result = new List<int>();
        while (true)
        {
            var token = Next;
            Advance();
            if (token is null)
            {
                if (result.Count == 0)
                {
                    throw Error("missing " + name);
                }

                throw Error($"missing {(char)terminator}, unterminated name", result.Count);
            }

            if (token.Length == 1 && token[0] == terminator)
            {
                if (result.Count == 0)
                {
                    throw Error("missing " + name, 1);
                }

                break;
            }

            result.AddRange(token);
        }

        return CodePoints.ToText(result);
    }

    public void Seek(int index)
    {
        _index = index;
        Advance();
    }

    public PythonRegexError Error(string message, int offset = 0) => new(message, Tell() - offset);

    private void Advance()
    {
        var index = _index;
        if (index >= _text.Length)
        {
            Next = null;
            return;
        }

        if (_text[index] == '\\')
        {
            index++;
            if (index >= _text.Length)
            {
                throw new PythonRegexError("bad escape (end of pattern)", _text.Length - 1);
            }

            Next = [_text[index - 1], _text[index]];
        }
        else
        {
            Next = [_text[index]];
        }

        _index = index + 1;
    }
}
