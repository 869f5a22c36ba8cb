using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.SocketMode;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>Calls the fake's <c>apps.connections.open</c> as the Web API client will, and counts the calls.</summary>
internal sealed class FakeSlackUrlSource(Uri apiBaseUrl, string appToken) : ISocketModeUrlSource, IDisposable
{
    private readonly HttpClient _http = new();
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public async Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(apiBaseUrl, "apps.connections.open"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", appToken);
        using var response = await _http.SendAsync(request, cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = body.RootElement;
        if (!root.GetProperty("ok").GetBoolean())
        {
            var error = root.GetProperty("error").GetString()!;
            throw (Exception?)SocketModeFatalException.ForOpenError(error) ?? new HttpRequestException(error);
        }

        return new Uri(root.GetProperty("url").GetString()!);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Records every envelope; by default answers an envelope whose payload has <c>n</c> with <c>{"text":"n=…"}</c>.</summary>
internal sealed class RecordingSocketModeHandler : ISocketModeHandler
{
    private readonly List<SocketModeEnvelope> _handled = [];

    public Func<SocketModeEnvelope, CancellationToken, Task<object?>> Answer { get; set; } = static (envelope, _) =>
        Task.FromResult<object?>(envelope.Payload.ValueKind == JsonValueKind.Object && envelope.Payload.TryGetProperty("n", out var n)
            ? new JsonObject { ["text"] = $"n={n.GetInt32()}" }
            : null);

    public IReadOnlyList<SocketModeEnvelope> Handled
    {
        get { lock (_handled) { return [.. _handled]; } }
    }

    public Task<object?> HandleAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        lock (_handled)
        {
            _handled.Add(envelope);
        }

        return Answer(envelope, cancellationToken);
    }
}

internal sealed record LogEntry(LogLevel Level, string Message, Exception? Exception)
{
    public DateTime At { get; } = DateTime.UtcNow;
}

internal sealed class LogRecorder<T> : ILogger<T>
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_entries) { return [.. _entries]; } }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));
        }
    }
}
