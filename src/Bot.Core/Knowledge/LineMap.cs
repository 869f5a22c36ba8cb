namespace Bot.Core.Knowledge;

/// <summary>Maps character offsets of a text to zero-based line numbers.</summary>
internal sealed class LineMap
{
    private readonly List<int> _lineStarts = [0];

    public LineMap(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public int LineCount => _lineStarts.Count;

    public int LineOf(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        return index >= 0 ? index : ~index - 1;
    }

    public int StartOf(int line) => _lineStarts[line];
}
