using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.Shared;

/// <summary>One log call, as kept by a <see cref="ListLogger"/>.</summary>
/// <param name="Values">The structured values as <c>name=value</c> joined by <c>;</c>, formatted when logged, so tests can search them for secrets.</param>
/// <param name="Properties">The structured values as logged, by name, so tests can assert on their types.</param>
internal sealed record LogEntry(string Category, LogLevel Level, string Message, string Values, IReadOnlyDictionary<string, object?> Properties, string? Exception);

/// <summary>Keeps every formatted log message with its structured values so tests can assert on what was logged.</summary>
internal class ListLogger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
{
    public ListLogger(string category)
        : this(category, new ConcurrentQueue<LogEntry>())
    {
    }

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var pairs = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            properties.TryAdd(pair.Key, pair.Value);
        }

        var values = string.Join(";", pairs.Select(pair => pair.Key + "=" + pair.Value));
        entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), values, properties, exception?.ToString()));
    }
}

/// <summary>A <see cref="ListLogger"/> to hand to a class that takes an <see cref="ILogger{T}"/>.</summary>
internal sealed class ListLogger<T>() : ListLogger(typeof(T).FullName ?? typeof(T).Name), ILogger<T>;

/// <summary>Keeps the log calls of every category, from a logger factory, in one list.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, _entries);

    public void Dispose()
    {
    }
}
