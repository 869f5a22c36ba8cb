using System.Text;
using Bot.Slack.Http;

namespace Bot.Slack.Tests.Http;

/// <summary>The form fields of a slash command or an interactive payload, read as Slack writes them.</summary>
public class SlackFormTests
{
    [Fact]
    public void ReadForm_DecodesNamesAndValues_AsFormEncodingDefines()
    {
        var form = SlackEventsEndpoint.ReadForm("command=%2Fexplain&text=why+are+threads%20slow%3F&user_name=zo%C3%AB&empty="u8);

        Assert.Equal("/explain", form["command"]);
        Assert.Equal("why are threads slow?", form["text"]);
        Assert.Equal("zoë", form["user_name"]);
        Assert.Equal("", form["empty"]);
        Assert.Equal(4, form.Count);
    }

    [Fact]
    public void ReadForm_ANameGivenTwice_KeepsTheFirstValue_AndNamesAreExact()
    {
        var form = SlackEventsEndpoint.ReadForm(Encoding.UTF8.GetBytes("user_id=U1&user_id=U2&User_Id=U3"));

        Assert.Equal("U1", form["user_id"]);
        Assert.Equal("U3", form["User_Id"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&&=&")]
    [InlineData("%")]
    [InlineData("%zz=%G1")]
    public void ReadForm_OddForms_AreReadWithoutThrowing(string body) =>
        Assert.NotNull(SlackEventsEndpoint.ReadForm(Encoding.UTF8.GetBytes(body)));
}
