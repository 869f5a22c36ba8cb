namespace Bot.Core.Tests;

public class LogTextTests
{
    [Theory]
    [InlineData("explain", "explain")]
    [InlineData("quiz:answer:12:1", "quiz:answer:12:1")]
    [InlineData("x\n[12:00:00 ERR] forged", "x\\n[12:00:00 ERR] forged")]
    [InlineData("a\r\nb\tc\u0000d\u001be\u2028f", "a\\r\\nb\\tc\\u0000d\\u001be\\u2028f")]
    [InlineData(null, "")]
    public void Clean_EscapesControlCharacters(string? text, string expected) =>
        Assert.Equal(expected, LogText.Clean(text));

    [Fact]
    public void Clean_LongField_IsClippedToAFewDozenCharacters()
    {
        var cleaned = LogText.Clean(new string('x', 60_000));

        Assert.True(cleaned.Length <= LogText.MaxLength);
        Assert.EndsWith("…", cleaned, StringComparison.Ordinal);
    }
}
