using System.Text.Json;

namespace Bot.RegexEngine.Tests;

/// <summary>Python's repr() of the strings re returns, against python3's own.</summary>
public class PythonReprTests
{
    [Fact]
    public void PythonRepr_OfEveryKindOfCharacter_MatchesPython3()
    {
        string[] samples = ["", "plain", "it's", "say \"hi\"", "both ' and \"", "back\\slash", "tab\tnew\nline\r", "\u0000\u001f\u007f\u0085\u00a0\u00ad",
            "é ß 😀 \u200b \u2028 \ue000 \U0010FFFF", "\ud7ff\uffff", "x\u0301", "混合 text"];
        var expected = PythonOracle.Run("import json,sys\nfor s in json.load(sys.stdin): print(repr(s))", JsonSerializer.Serialize(samples)).Split('\n');

        Assert.Equal(expected[..samples.Length], samples.Select(PythonRepr.Of));
    }
}
