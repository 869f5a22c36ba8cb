using System.Globalization;
using Bot.Core.Rendering;

namespace Bot.Core.Tests.Rendering;

public class TextClipTests
{
    [Theory]
    [InlineData("closures", 10, "closures")]
    [InlineData("abcdefghijklmnop", 10, "abcdefghi…")]
    [InlineData("abc defghijklmnop", 5, "abc…")]
    public void Clip_PlainText_KeepsWhatFitsAndMarksTheCut(string text, int maxLength, string expected) =>
        Assert.Equal(expected, TextClip.Clip(text, maxLength));

    /// <summary>A cut inside a surrogate pair, a family emoji joined by ZWJs, a flag or a letter with a combining accent keeps the whole character out.</summary>
    [Theory]
    [InlineData("bcdefghj\U0001F600k")]
    [InlineData("bcdefgh\U0001F468\u200D\U0001F469\u200D\U0001F467")]
    [InlineData("bcdefghi\U0001F1EB\U0001F1F7")]
    [InlineData("bcdefghie\u0301xyz")]
    public void Clip_CutInsideACharacter_NeverSplitsIt(string text)
    {
        var clipped = TextClip.Clip(text, 10);

        Assert.True(clipped.Length <= 10, clipped);
        Assert.EndsWith("…", clipped, StringComparison.Ordinal);
        var kept = clipped[..^1];
        Assert.StartsWith(kept, text, StringComparison.Ordinal);
        Assert.True(IsTextElementBoundary(text, kept.Length), $"cut at {kept.Length} splits a character of {text}");
    }

    /// <summary>Every limit through a text of ZWJ sequences, flags, skin tones and accents: no cut ever falls inside one.</summary>
    [Fact]
    public void Clip_EveryLimitThroughEmojiSequences_CutsOnlyBetweenWholeCharacters()
    {
        const string text = "dev 👩‍💻 flag 🇫🇷🇯🇵 wave 👋🏽 family 👨‍👩‍👧‍👦 café é!";

        for (var maxLength = 1; maxLength <= text.Length + 1; maxLength++)
        {
            var clipped = TextClip.Clip(text, maxLength);

            Assert.True(clipped.Length <= maxLength, $"{maxLength}: {clipped}");
            var kept = clipped == text ? text : clipped[..^TextClip.Ellipsis.Length];
            Assert.StartsWith(kept, text, StringComparison.Ordinal);
            Assert.True(IsTextElementBoundary(text, kept.Length), $"{maxLength}: cut at {kept.Length} splits a character");
        }
    }

    [Fact]
    public void Clip_ZwjSequenceThatDoesNotFit_IsLeftOutWhole()
    {
        Assert.Equal("code…", TextClip.Clip("code 👩‍💻", 8));
    }

    [Fact]
    public void Clip_WithLengthOf_CountsTheLimitOnWhatEachCharacterBecomes()
    {
        static int Escaped(char character) => character == '&' ? "&amp;".Length : 1;

        Assert.Equal("a&b", TextClip.Clip("a&b", 7, Escaped));
        Assert.Equal("a&…", TextClip.Clip("a&bc", 7, Escaped));
        Assert.Equal("a…", TextClip.Clip("a&bc", 6, Escaped));
    }

    [Theory]
    [InlineData("KeyError", 20, "KeyError")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("ab🇫🇷", 3, "ab")]
    [InlineData("ab👩‍💻", 4, "ab")]
    public void Prefix_KeepsWholeCharactersWithoutAMark(string text, int maxLength, string expected) =>
        Assert.Equal(expected, TextClip.Prefix(text, maxLength));

    [Theory]
    [InlineData("abcdef", 4, 4)]
    [InlineData("abc", 10, 3)]
    [InlineData("ab\U0001F1EB\U0001F1F7cd", 4, 2)]
    [InlineData("ab\U0001F469\u200D\U0001F469\u200D\U0001F467cd", 7, 2)]
    [InlineData("e\u0301\u0301\u0301\u0301x", 3, 3)]
    [InlineData("\U0001F469\u200D\U0001F469\u200D\U0001F467", 4, 3)]
    public void CutPoint_CutsAfterTheLastWholeCharacterThatFitsOrBetweenCodePointsWhenNoneDoes(string text, int maxLength, int expected) =>
        Assert.Equal(expected, TextClip.CutPoint(text, maxLength));

    /// <summary>A word of ZWJ sequences and flags with no space in it, cut at every limit: every piece holds whole characters only.</summary>
    [Fact]
    public void Pieces_WordOfEmojiSequences_CutsOnlyBetweenWholeCharacters()
    {
        const string family = "\U0001F469\u200D\U0001F469\u200D\U0001F467";
        const string flag = "\U0001F1EB\U0001F1F7";
        var text = "x" + string.Concat(Enumerable.Repeat(family + flag, 6));

        for (var maxLength = family.Length; maxLength <= text.Length; maxLength++)
        {
            var pieces = TextClip.Pieces(text, maxLength).ToList();

            Assert.Equal(text, string.Concat(pieces));
            Assert.All(pieces, piece => Assert.InRange(piece.Length, 1, maxLength));
            Assert.All(pieces.SelectMany(TextElements), element => Assert.Contains(element, new[] { "x", family, flag }));
        }
    }

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }

    private static bool IsTextElementBoundary(string text, int index)
    {
        var position = 0;
        while (position < index)
        {
            position += StringInfo.GetNextTextElementLength(text.AsSpan(position));
        }

        return position == index;
    }
}
