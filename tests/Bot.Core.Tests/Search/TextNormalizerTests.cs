using Bot.Core.Search;

namespace Bot.Core.Tests.Search;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("*args", "args")]
    [InlineData("Deep Copy", "deepcopy")]
    [InlineData("deep-copy", "deepcopy")]
    [InlineData("make_counter", "makecounter")]
    [InlineData("__dict__", "__dict__")]
    [InlineData("f.__name__", "f__name__")]
    [InlineData("obj._Account__balance", "objaccount__balance")]
    [InlineData("if __name__ == '__main__':", "if__name____main__")]
    public void Key_DropsCaseAndPunctuationButKeepsDunderUnderscores(string text, string key) =>
        Assert.Equal(key, TextNormalizer.Key(text));

    [Fact]
    public void Key_Dunder_IsNotTheWord() => Assert.NotEqual(TextNormalizer.Key("dict"), TextNormalizer.Key("__dict__"));

    [Theory]
    [InlineData("Why is my list EMPTY?", "why is my list empty")]
    [InlineData("why  is my list empty.", "why is my list empty")]
    public void QuestionKey_IgnoresCaseSpacesAndClosingMarks(string a, string b) =>
        Assert.Equal(TextNormalizer.QuestionKey(a), TextNormalizer.QuestionKey(b));

    [Theory]
    [InlineData("what does // mean", "what does := mean")]
    [InlineData("TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'", "TypeError: unsupported operand type(s) for |: 'NoneType' and 'int'")]
    public void QuestionKey_KeepsSymbols(string a, string b) =>
        Assert.NotEqual(TextNormalizer.QuestionKey(a), TextNormalizer.QuestionKey(b));
}
