using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Adapters.Connections;
using Bot.Slack.SocketMode;

namespace Bot.Slack.Tests.SocketMode;

public sealed class SocketModePartsTests
{
    [Fact]
    public void SerializeAck_NoPayload_HasOnlyEnvelopeId()
    {
        var ack = Encoding.UTF8.GetString(SocketModeClient.SerializeAck("e-1", null));

        Assert.Equal("""{"envelope_id":"e-1"}""", ack);
    }

    [Fact]
    public void SerializeAck_ObjectPayload_UsesSlackSnakeCaseAndOmitsNulls()
    {
        var ack = Encoding.UTF8.GetString(SocketModeClient.SerializeAck("e-2", new { ResponseType = "ephemeral", Text = "hi", Blocks = (object?)null }));

        Assert.Equal("""{"envelope_id":"e-2","payload":{"response_type":"ephemeral","text":"hi"}}""", ack);
    }

    [Fact]
    public void SerializeAck_JsonNodePayload_WrittenAsIs()
    {
        var ack = JsonNode.Parse(SocketModeClient.SerializeAck("e-3", new JsonObject { ["options"] = new JsonArray() }))!;

        Assert.Equal("e-3", ack["envelope_id"]!.GetValue<string>());
        Assert.Equal("""{"options":[]}""", ack["payload"]!.ToJsonString());
    }

    [Fact]
    public void TryClaim_SameIdTwice_SecondGetsFirstAnswer()
    {
        var recent = new RecentEnvelopes(10);
        var first = Task.FromResult(new byte[] { 1 });

        Assert.True(recent.TryClaim("a", first, out _));
        Assert.False(recent.TryClaim("a", Task.FromResult(new byte[] { 2 }), out var existing));
        Assert.Same(first, existing);
    }

    [Fact]
    public void TryClaim_OverCapacity_ForgetsOldestFirst()
    {
        var recent = new RecentEnvelopes(2);
        recent.TryClaim("a", Task.FromResult(Array.Empty<byte>()), out _);
        recent.TryClaim("b", Task.FromResult(Array.Empty<byte>()), out _);
        recent.TryClaim("c", Task.FromResult(Array.Empty<byte>()), out _);

        Assert.True(recent.TryClaim("a", Task.FromResult(Array.Empty<byte>()), out _));
        Assert.False(recent.TryClaim("c", Task.FromResult(Array.Empty<byte>()), out _));
    }

    [Theory]
    [InlineData(1, 500, 1000)]
    [InlineData(2, 1000, 2000)]
    [InlineData(6, 16_000, 32_000)]
    [InlineData(7, 30_000, 60_000)]
    [InlineData(40, 30_000, 60_000)]
    public void Backoff_Failures_DoublesWithJitterUpToCap(int failures, int minMs, int maxMs)
    {
        using var client = new SocketModeClient(
            new NeverUrlSource(), new RecordingSocketModeHandler(), new ConnectionStatus(), TimeProvider.System, new LogRecorder<SocketModeClient>());

        Assert.True(client.Reconnect.BackOffAfterReady);
        for (var sample = 0; sample < 50; sample++)
        {
            var delay = client.Reconnect.Backoff(failures).TotalMilliseconds;
            Assert.InRange(delay, minMs, maxMs);
        }
    }

    [Theory]
    [InlineData("invalid_auth", "Slack__AppToken")]
    [InlineData("not_allowed_token_type", "xapp-")]
    [InlineData("missing_scope", "connections:write")]
    public void ForOpenError_TokenProblem_FatalWithFix(string error, string fix)
    {
        var exception = SocketModeFatalException.ForOpenError(error);

        Assert.NotNull(exception);
        Assert.Equal(error, exception.SlackError);
        Assert.Contains(fix, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ratelimited")]
    [InlineData("internal_error")]
    public void ForOpenError_TransientError_Null(string error) =>
        Assert.Null(SocketModeFatalException.ForOpenError(error));

    private sealed class NeverUrlSource : ISocketModeUrlSource
    {
        public Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken) =>
            Task.FromException<Uri>(new InvalidOperationException("not used"));
    }
}

internal static class JsonPayloads
{
    public static int Number(JsonElement payload) => payload.GetProperty("n").GetInt32();
}
