using System.Text;
using Bot.Slack.Http;

namespace Bot.Slack.Tests.Http;

/// <summary>Slack's own worked example from its request-verification page, and every way to get it wrong.</summary>
public class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly SlackSignature Signature = new(Secret);

    [Fact]
    public void Verify_SlacksWorkedExample_Passes()
    {
        Assert.Equal(362, Encoding.UTF8.GetByteCount(Body));
        Assert.True(Signature.Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData("1531420619", Expected, Body)]
    [InlineData(Timestamp, Expected, Body + "&x=1")]
    [InlineData(Timestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", Body)]
    [InlineData(Timestamp, "v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B50", Body)]
    [InlineData(Timestamp, "v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", Body)]
    [InlineData(Timestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", Body)]
    [InlineData(Timestamp, "", Body)]
    [InlineData(Timestamp, null, Body)]
    [InlineData(null, Expected, Body)]
    [InlineData("not a number", Expected, Body)]
    public void Verify_AnyChangeOrMalformedHeader_Fails(string? timestamp, string? signature, string body) =>
        Assert.False(Signature.Verify(timestamp, signature, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Verify_SecretMissingItsLastCharacter_Fails() =>
        Assert.False(new SlackSignature(Secret[..^1]).Verify(Timestamp, Expected, Encoding.UTF8.GetBytes(Body)));
}
