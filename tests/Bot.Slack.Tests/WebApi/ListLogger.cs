using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.WebApi;

/// <summary>Keeps every formatted log line (with its structured values) so tests can search them for secrets.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    internal sealed record LogLine(string Category, LogLevel Level, string Message, string Values, string? Exception);

    private sealed class ListLogger(string category, ConcurrentQueue<LogLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(";", pairs.Select(pair => pair.Key + "=" + pair.Value))
                : "";
            lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
