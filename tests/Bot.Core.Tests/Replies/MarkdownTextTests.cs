using Bot.Core.Replies;

namespace Bot.Core.Tests.Replies;

public class MarkdownTextTests
{
    [Theory]
    [InlineData("closures", 10, "closures")]
    [InlineData("abcdefghijklmnop", 10, "abcdefghi…")]
    [InlineData("abc defghijklmnop", 5, "abc…")]
    public void Clip_PlainText_KeepsWhatFitsAndMarksTheCut(string text, int maxLength, string expected) =>
        Assert.Equal(expected, MarkdownText.Clip(text, maxLength));

    /// <summary>A cut inside a surrogate pair, a family emoji joined by ZWJs, a flag or a letter with a combining accent keeps the whole character out.</summary>
    [Theory]
    [InlineData("bcdefghj\U0001F600k")]
    [InlineData("bcdefgh\U0001F468\u200D\U0001F469\u200D\U0001F467")]
    [InlineData("bcdefghi\U0001F1EB\U0001F1F7")]
    [InlineData("bcdefghie\u0301xyz")]
    public void Clip_CutInsideACharacter_NeverSplitsIt(string text)
    {
        var clipped = MarkdownText.Clip(text, 10);

        Assert.True(clipped.Length <= 10, clipped);
        Assert.EndsWith("…", clipped, StringComparison.Ordinal);
        var kept = clipped[..^1];
        Assert.StartsWith(kept, text, StringComparison.Ordinal);
        Assert.True(IsTextElementBoundary(text, kept.Length), $"cut at {kept.Length} splits a character of {text}");
    }

    private static bool IsTextElementBoundary(string text, int index)
    {
        var position = 0;
        while (position < index)
        {
            position += System.Globalization.StringInfo.GetNextTextElementLength(text.AsSpan(position));
        }

        return position == index;
    }
}
