using System.Text.RegularExpressions;

namespace Bot.Slack.Tests.Rendering;

/// <summary>
/// What Slack formats in mrkdwn, by its documented rules, to check that only intended markers pair up:
/// <c>*bold*</c>, <c>_italic_</c> and <c>~strike~</c> need their markers at word boundaries. A marker opens
/// when what comes before it is the start of the text or not a letter or digit, and what follows is not
/// blank; it closes when what comes before it is not blank, and what follows is the end or not a letter or
/// digit. Markers pair from the left, the first possible closing marker of the same kind with at least one
/// character between. Nothing is formatted in code blocks and code spans. A zero-width space counts as
/// blank: the renderer's way of keeping a marker literal rests on that (see <c>SlackMrkdwn.AppendProse</c>).
/// </summary>
/// <remarks>Stricter than Slack in one way: a pair may reach across lines here.</remarks>
internal static partial class MrkdwnFormatting
{
    private const char ZeroWidthSpace = '\u200B';

    /// <summary>The formatted runs of <paramref name="mrkdwn"/> in order: the marker and the text it formats, zero-width spaces left out.</summary>
    public static List<(char Marker, string Text)> Pairs(string mrkdwn)
    {
        var text = CodeSpan().Replace(CodeBlock().Replace(mrkdwn, "\n"), "c");
        var pairs = new List<(char, string)>();
        for (var open = 0; open < text.Length; open++)
        {
            if (!IsMarker(text[open]) || !CanOpen(text, open))
            {
                continue;
            }

            for (var close = open + 2; close < text.Length; close++)
            {
                if (text[close] == text[open] && CanClose(text, close))
                {
                    pairs.Add((text[open], text[(open + 1)..close].Replace(ZeroWidthSpace.ToString(), "", StringComparison.Ordinal)));
                    open = close;
                    break;
                }
            }
        }

        return pairs;
    }

    private static bool IsMarker(char character) => character is '*' or '_' or '~';

    private static bool CanOpen(string text, int index) =>
        (index == 0 || !char.IsLetterOrDigit(text[index - 1])) && index + 1 < text.Length && !IsBlank(text[index + 1]);

    private static bool CanClose(string text, int index) =>
        !IsBlank(text[index - 1]) && (index + 1 == text.Length || !char.IsLetterOrDigit(text[index + 1]));

    private static bool IsBlank(char character) => char.IsWhiteSpace(character) || character == ZeroWidthSpace;

    [GeneratedRegex("```.*?```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("`[^`\n]+`")]
    private static partial Regex CodeSpan();
}
