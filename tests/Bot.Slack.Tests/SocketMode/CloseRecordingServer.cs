using System.Net.WebSockets;
using System.Text;
using Bot.Slack.SocketMode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>
/// One loopback WebSocket that says <c>hello</c> and records the close code the client sends: the shared fake Slack
/// answers a close but does not keep its code, which the shutdown test needs.
/// </summary>
internal sealed class CloseRecordingServer : ISocketModeUrlSource, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closeStatus = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri _url = null!;

    private CloseRecordingServer(WebApplication app) => _app = app;

    public Task<WebSocketCloseStatus?> CloseStatus => _closeStatus.Task;

    public static async Task<CloseRecordingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new CloseRecordingServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server._url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/socket");
        return server;
    }

    public Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken) => Task.FromResult(_url);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"hello","num_connections":1}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closeStatus.TrySetResult(socket.CloseStatus);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            _closeStatus.TrySetResult(null);
        }
    }
}
