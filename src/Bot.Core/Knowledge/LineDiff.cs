using System.Text;

namespace Bot.Core.Knowledge;

/// <summary>A line diff in the spirit of <c>diff -u</c>: <c>-</c> expected only, <c>+</c> actual only, a space for both.</summary>
internal static class LineDiff
{
    private const int Context = 2;

    /// <summary>Longest-common-subsequence diff; example outputs are short, so the quadratic table is fine.</summary>
    public static string Unified(string expected, string actual, int maxLines)
    {
        var left = expected.Split('\n');
        var right = actual.Split('\n');
        var common = new int[left.Length + 1, right.Length + 1];
        for (var i = left.Length - 1; i >= 0; i--)
        {
            for (var j = right.Length - 1; j >= 0; j--)
            {
                common[i, j] = left[i] == right[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<(char Mark, string Text)>();
        int l = 0, r = 0;
        while (l < left.Length || r < right.Length)
        {
            if (l < left.Length && r < right.Length && left[l] == right[r])
            {
                lines.Add((' ', left[l++]));
                r++;
            }
            else if (l < left.Length && (r == right.Length || common[l + 1, r] >= common[l, r + 1]))
            {
                lines.Add(('-', left[l++]));
            }
            else
            {
                lines.Add(('+', right[r++]));
            }
        }

        var changed = lines.Select((line, index) => (line, index)).Where(entry => entry.line.Mark != ' ').Select(entry => entry.index).ToList();
        var text = new StringBuilder("--- expected (output block)\n+++ actual (stdout)");
        var shown = 0;
        var last = -1;
        for (var index = 0; index < lines.Count; index++)
        {
            if (!changed.Exists(change => Math.Abs(change - index) <= Context))
            {
                continue;
            }

            if (shown == maxLines)
            {
                text.Append("\n…");
                break;
            }

            if (last >= 0 && index > last + 1)
            {
                text.Append("\n@@");
            }

            text.Append('\n').Append(lines[index].Mark).Append(lines[index].Text);
            last = index;
            shown++;
        }

        return text.ToString();
    }
}
