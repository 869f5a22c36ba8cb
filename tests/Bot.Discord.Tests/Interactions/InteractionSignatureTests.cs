using System.Text;
using Bot.Discord.Interactions;

namespace Bot.Discord.Tests.Interactions;

/// <summary>RFC 8032 §7.1 TEST 1 and the Discord-shaped vectors of the protocol brief, made with another library.</summary>
public class InteractionSignatureTests
{
    private const string PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private const string RfcEmptyMessageSignature = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    private const string PingSignature = "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f";
    private const string CommandSignature = "7c9ca7bdbaeedcaf7243c26d180f919433568604895837e824924d51b64072398061b7f45bf55a87cc5b0262b40f5b13e787875beab8401c01cadbaf8066200b";

    private readonly InteractionSignature _signature = new(PublicKey);

    [Theory]
    [InlineData("1700000000", """{"type":1}""", PingSignature)]
    [InlineData("1700000000", """{"type":2,"id":"1","token":"t"}""", CommandSignature)]
    public void Verify_BriefVectors_Pass(string timestamp, string body, string signature) =>
        Assert.True(_signature.Verify(timestamp, signature, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void VerifyMessage_Rfc8032Test1_Passes()
    {
        Assert.True(_signature.VerifyMessage([], Convert.FromHexString(RfcEmptyMessageSignature)));
        Assert.False(_signature.VerifyMessage([0], Convert.FromHexString(RfcEmptyMessageSignature)));
    }

    [Fact]
    public void Verify_EmptyTimestamp_FailsEvenWhenTheBytesWouldVerify() =>
        Assert.False(_signature.Verify("", RfcEmptyMessageSignature, []));

    [Theory]
    [InlineData("1700000001", """{"type":1}""", PingSignature)]
    [InlineData("1700000000", """{"type":1} """, PingSignature)]
    [InlineData("1700000000", """{"type":2,"id":"1","token":"t"}""", PingSignature)]
    [InlineData("1700000000", """{"type":1}""", "00" + "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0")]
    [InlineData("1700000000", """{"type":1}""", "not hex at all")]
    [InlineData("1700000000", """{"type":1}""", "")]
    [InlineData(null, """{"type":1}""", PingSignature)]
    [InlineData("1700000000", """{"type":1}""", null)]
    public void Verify_AnyChangeOrMalformedHeader_Fails(string? timestamp, string body, string? signature) =>
        Assert.False(_signature.Verify(timestamp, signature, Encoding.UTF8.GetBytes(body)));
}
