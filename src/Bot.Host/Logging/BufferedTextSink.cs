using System.Collections.Concurrent;
using System.Text;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace Bot.Host.Logging;

/// <summary>
/// Writes log events as text to a stream a little later, many at a time: a request thread only queues its
/// event, and one background loop formats what has gathered and writes it with one call. The loop wakes
/// when the first event of a quiet spell arrives and then waits <c>delay</c> for the rest, or less once a
/// batch of <c>batchSize</c> has gathered, so it runs a few hundred times a second under load, not once
/// per event, and never when nothing is logged. Serilog's async sink wakes its thread for every event and
/// writes every line on its own; at one line per interaction that was a fifth of a busy server's CPU. The
/// batch size bounds how long one write keeps a core: 50 ms of a busy server's events at once put 6 ms
/// on its p99. When the queue is full an event is dropped and counted, and the count is written with the
/// next batch: a stuck reader of stderr must not stop the bot.
/// </summary>
internal sealed class BufferedTextSink : ILogEventSink, IDisposable
{
    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly SemaphoreSlim _batchGathered = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly StreamWriter _writer;
    private readonly StringWriter _line = new(System.Globalization.CultureInfo.InvariantCulture);
    private readonly ITextFormatter _formatter;
    private readonly TimeSpan _delay;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly int _batchSize;
    private readonly Task _loop;
    private int _queued;
    private long _dropped;
    private int _disposed;

    public BufferedTextSink(Stream output, ITextFormatter formatter, TimeSpan delay, int batchSize, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);
        _formatter = formatter;
        _delay = delay;
        _time = time;
        _capacity = capacity;
        _batchSize = batchSize;
        // The loop must not carry the first caller's execution context (its log scopes, its activity) for good.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(WriteLoopAsync);
        }
    }

    public void Emit(LogEvent logEvent)
    {
        if (Volatile.Read(ref _queued) >= _capacity)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Enqueue(logEvent);
        var queued = Interlocked.Increment(ref _queued);
        if (queued == 1)
        {
            _arrived.Release();
        }

        if (queued == _batchSize)
        {
            _batchGathered.Release();
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                await _arrived.WaitAsync(_stopping.Token).ConfigureAwait(false);
                await WaitForTheBatchAsync().ConfigureAwait(false);
                TryWriteQueued();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Until the delay has passed or a whole batch is waiting, whichever comes first.</summary>
    private async Task WaitForTheBatchAsync()
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var gathered = _batchGathered.WaitAsync(either.Token);
        var delay = Task.Delay(_delay, _time, either.Token);
        await Task.WhenAny(gathered, delay).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        // The loser ends cancelled; a signal it did not take stays for the next round, which then writes early.
        await Task.WhenAll(gathered, delay).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Token.ThrowIfCancellationRequested();
    }

    private void TryWriteQueued()
    {
        try
        {
            WriteQueued();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // Nowhere left to report it but Serilog's own diagnostics: the output is what failed.
            SelfLog.WriteLine("Writing log events failed: {0}", exception);
        }
    }

    private void WriteQueued()
    {
        var wrote = false;
        while (_queue.TryDequeue(out var logEvent))
        {
            Interlocked.Decrement(ref _queued);
            wrote |= TryFormat(logEvent);
        }

        if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
        {
            _writer.WriteLine($"[{_time.GetLocalNow():HH:mm:ss} WRN] {dropped} log events were dropped: more than {_capacity} were waiting to be written.");
            wrote = true;
        }

        if (wrote)
        {
            _writer.Flush();
        }
    }

    /// <summary>Formats one event whole before it goes out, so one that cannot be formatted leaves no half line.</summary>
    private bool TryFormat(LogEvent logEvent)
    {
        var line = _line.GetStringBuilder().Clear();
        try
        {
            _formatter.Format(logEvent, _line);
        }
        catch (Exception exception) when (exception is not IOException)
        {
            SelfLog.WriteLine("A log event could not be formatted: {0}", exception);
            return false;
        }

        foreach (var chunk in line.GetChunks())
        {
            _writer.Write(chunk.Span);
        }

        return true;
    }

    /// <summary>Writes what is still queued; Serilog calls it when the logger is closed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _loop.GetAwaiter().GetResult();
        TryWriteQueued();
        _writer.Dispose();
        _line.Dispose();
        _arrived.Dispose();
        _batchGathered.Dispose();
        _stopping.Dispose();
    }
}
