using System.Net.WebSockets;
using System.Text;
using Bot.Adapters.Connections;

namespace Bot.Adapters.Tests.Connections;

/// <summary>The pooled reader and single writer both platforms' connections use, against a loopback server.</summary>
public sealed class WebSocketConnectionTests : IAsyncLifetime
{
    private readonly RecordingTimeProvider _time = new();
    private LoopbackWebSocketServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackWebSocketServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReceiveAsync_MessageInManyFramesLargerThanTheBuffer_ReadsItWholeThenTheNextOne()
    {
        var large = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(number => $"{number % 10}")) + "é");
        _server.Handle = async (socket, _) =>
        {
            for (var offset = 0; offset < large.Length; offset += 1000)
            {
                var end = Math.Min(offset + 1000, large.Length);
                await socket.SendAsync(large.AsMemory(offset, end - offset), WebSocketMessageType.Text, endOfMessage: end == large.Length, CancellationToken.None);
            }

            await socket.SendAsync("next"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            await socket.ReceiveAsync(new byte[16], CancellationToken.None);
        };
        await using var connection = await ConnectAsync();

        var first = await connection.ReceiveAsync();
        Assert.False(first.IsClose);
        Assert.Equal(large, first.Payload.ToArray());
        var second = await connection.ReceiveAsync();
        Assert.Equal("next", Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Theory]
    [InlineData(40_000, 40_000, false)]
    [InlineData(40_000, 40_001, true)]
    [InlineData(16_384, 16_385, true)]
    public async Task ReceiveAsync_MessageOverTheReceiveLimit_EndsTheConnectionWithMessageTooBig(int limit, int size, bool tooBig)
    {
        var peerSaw = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handle = async (socket, _) =>
        {
            var message = new byte[size];
            Array.Fill(message, (byte)'x');
            for (var offset = 0; offset < size; offset += 4096)
            {
                var end = Math.Min(offset + 4096, size);
                await socket.SendAsync(message.AsMemory(offset, end - offset), WebSocketMessageType.Text, endOfMessage: end == size, CancellationToken.None);
            }

            var result = await socket.ReceiveAsync(new byte[16], CancellationToken.None);
            peerSaw.SetResult(result.CloseStatus);
        };
        await using var connection = await ConnectAsync(new ReconnectOptions { MaxReceiveBytes = limit });

        if (!tooBig)
        {
            Assert.Equal(size, (await connection.ReceiveAsync()).Payload.Length);
            return;
        }

        var refused = await Assert.ThrowsAsync<WebSocketException>(async () => await connection.ReceiveAsync());
        Assert.Contains($"larger than {limit} bytes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await peerSaw.Task.WaitAsync(Eventually.Timeout));
    }

    [Fact]
    public async Task ReceiveAsync_PeerCloses_ReturnsItsCodeAndDescription()
    {
        _server.Handle = async (socket, _) =>
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)4004, "Authentication failed", CancellationToken.None);
            await socket.ReceiveAsync(new byte[16], CancellationToken.None);
        };
        await using var connection = await ConnectAsync();

        var message = await connection.ReceiveAsync();

        Assert.True(message.IsClose);
        Assert.Equal(4004, message.CloseCode);
        Assert.Equal("Authentication failed", message.CloseDescription);
    }

    [Fact]
    public async Task SendAsync_OverTheSizeLimit_RefusedBeforeAnythingIsSent()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handle = async (socket, _) =>
        {
            var buffer = new byte[64];
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            received.SetResult(Encoding.UTF8.GetString(buffer, 0, result.Count));
        };
        await using var connection = await ConnectAsync(new ReconnectOptions { MaxSendBytes = 8 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync("nine bytes"u8.ToArray()));
        Assert.False(await connection.TrySendAsync("nine bytes"u8.ToArray()));
        await connection.SendAsync("8 bytes!"u8.ToArray());

        Assert.Equal("8 bytes!", await received.Task.WaitAsync(Eventually.Timeout));
    }

    [Fact]
    public async Task TrySendAsync_AfterTheCloseFrame_SendsNothingAndSaysSo()
    {
        _server.Handle = async (socket, _) =>
        {
            await socket.ReceiveAsync(new byte[64], CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        };
        await using var connection = await ConnectAsync();
        Assert.True(connection.IsOpen);

        await connection.CloseOutputAsync((int)WebSocketCloseStatus.NormalClosure, "done", TimeSpan.FromSeconds(2));

        Assert.False(connection.IsOpen);
        Assert.False(await connection.TrySendAsync("ack"u8.ToArray()));
        Assert.True((await connection.ReceiveAsync()).IsClose);
    }

    [Fact]
    public async Task CloseAsync_PeerNeverAnswers_GivesUpWhenTheTimeoutPassesOnTheClock()
    {
        var serverDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Handle = async (_, _) => await serverDone.Task;
        await using var connection = await ConnectAsync();

        var closing = connection.CloseAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down", TimeSpan.FromSeconds(2));
        // The peer reads nothing, so only the clock can end the handshake.
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        Assert.False(closing.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));

        await closing.WaitAsync(Eventually.Timeout);
        Assert.False(connection.IsOpen);
        serverDone.SetResult();
    }

    private async Task<WebSocketConnection> ConnectAsync(ReconnectOptions? options = null)
    {
        var connection = new WebSocketConnection(1, options ?? new ReconnectOptions(), _time);
        await connection.ConnectAsync(_server.Url, CancellationToken.None);
        return connection;
    }
}
