using System.Text;
using Bot.Host.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Bot.Host.Tests.Logging;

/// <summary>The console sink of a redirected stderr: events gather for a moment and go out in one write.</summary>
public sealed class BufferedTextSinkTests : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);
    /// <summary>A batch size no test reaches: only the delay or the end writes.</summary>
    private const int NoEarlyBatch = int.MaxValue;

    private static readonly MessageTemplateTextFormatter Formatter = new("{Level:u3} {Message:lj}{NewLine}");

    private readonly RecordingTimeProvider _time = new();
    private readonly RecordingStream _output = new();

    [Fact]
    public async Task Events_AreWrittenTogetherInOneWrite_OnceTheDelayHasPassed()
    {
        using var sink = new BufferedTextSink(_output, Formatter, Delay, NoEarlyBatch, capacity: 100, _time);
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        logger.Information("first {Number}", 1);
        logger.Warning("second {Text}", "two");
        await WaitUntilTheLoopWaitsAsync();
        Assert.Equal(0, _output.Writes);

        _time.Advance(Delay);
        await WaitForAsync(() => _output.Writes > 0);

        Assert.Equal(1, _output.Writes);
        Assert.Equal("INF first 1\nWRN second two\n", _output.Text.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWholeBatch_IsWrittenWithoutWaitingForTheDelay()
    {
        using var sink = new BufferedTextSink(_output, Formatter, TimeSpan.FromHours(1), batchSize: 10, capacity: 100, _time);
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();

        for (var index = 0; index < 9; index++)
        {
            logger.Information("event {Index}", index);
        }

        await WaitUntilTheLoopWaitsAsync(TimeSpan.FromHours(1));
        await Task.Delay(50);
        Assert.Equal(0, _output.Writes);

        logger.Information("event {Index}", 9);
        await WaitForAsync(() => _output.Writes > 0);

        Assert.Equal(Enumerable.Range(0, 10).Select(index => $"INF event {index}"), Lines());
    }

    [Fact]
    public async Task NoEvents_NoWrites()
    {
        using (new BufferedTextSink(_output, Formatter, Delay, NoEarlyBatch, capacity: 100, _time))
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(50);
        }

        Assert.Equal(0, _output.Writes);
    }

    [Fact]
    public void Dispose_WritesEverythingStillQueued_InOrder()
    {
        var sink = new BufferedTextSink(_output, Formatter, TimeSpan.FromHours(1), NoEarlyBatch, capacity: 10_000, _time);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            for (var index = 0; index < 5_000; index++)
            {
                logger.Information("event {Index}", index);
            }
        }

        Assert.Equal(Enumerable.Range(0, 5_000).Select(index => $"INF event {index}"), Lines());
    }

    [Fact]
    public void EventsFromManyThreads_AreEachWrittenOnceAndWhole()
    {
        var sink = new BufferedTextSink(_output, Formatter, TimeSpan.FromMilliseconds(1), batchSize: 100, capacity: 100_000, TimeProvider.System);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            Parallel.For(0, 8, thread =>
            {
                for (var index = 0; index < 2_000; index++)
                {
                    logger.Information("thread {Thread} event {Index}", thread, index);
                }
            });
        }

        var expected = from thread in Enumerable.Range(0, 8) from index in Enumerable.Range(0, 2_000) select $"INF thread {thread} event {index}";
        Assert.Equal(expected.Order(StringComparer.Ordinal), Lines().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PastItsCapacity_EventsAreDroppedAndCounted_NotWaitedFor()
    {
        var sink = new BufferedTextSink(_output, Formatter, TimeSpan.FromHours(1), NoEarlyBatch, capacity: 100, _time);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            for (var index = 0; index < 130; index++)
            {
                logger.Information("event {Index}", index);
            }
        }

        var lines = Lines();
        Assert.Equal(Enumerable.Range(0, 100).Select(index => $"INF event {index}"), lines.Take(100));
        Assert.Matches(@"^\[\d\d:\d\d:\d\d WRN\] 30 log events were dropped: more than 100 were waiting to be written\.$", Assert.Single(lines.Skip(100)));
    }

    [Fact]
    public async Task AnOutputThatFails_NeitherStopsTheLoggerNorThrowsAtTheCaller()
    {
        _output.Fail = true;
        var sink = new BufferedTextSink(_output, Formatter, Delay, NoEarlyBatch, capacity: 100, _time);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("lost");
            await WaitUntilTheLoopWaitsAsync();
            _time.Advance(Delay);
            await WaitForAsync(() => _output.FailedWrites > 0);

            _output.Fail = false;
            logger.Information("kept");
        }

        Assert.Equal(["INF kept"], Lines());
    }

    public void Dispose() => _output.Dispose();

    [Fact]
    public void AnEventThatCannotBeFormatted_IsLost_AndTheOthersAreWritten()
    {
        var sink = new BufferedTextSink(_output, new FailingOn("broken", Formatter), TimeSpan.FromHours(1), NoEarlyBatch, capacity: 100, _time);
        using (var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger())
        {
            logger.Information("before");
            logger.Information("broken");
            logger.Information("after");
        }

        Assert.Equal(["INF before", "INF after"], Lines());
    }

    private sealed class FailingOn(string message, Serilog.Formatting.ITextFormatter inner) : Serilog.Formatting.ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            if (logEvent.MessageTemplate.Text == message)
            {
                throw new FormatException("cannot format this one");
            }

            inner.Format(logEvent, output);
        }
    }

    private List<string> Lines() =>
        [.. _output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r'))];

    /// <summary>The loop has seen the first event and started its delay on the fake clock.</summary>
    private Task<TimeSpan> WaitUntilTheLoopWaitsAsync(TimeSpan? delay = null) => _time.WaitForTimerAsync(delay ?? Delay);

    private static Task WaitForAsync(Func<bool> condition) => Eventually.TrueAsync(condition, "the output");

    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _written = new();
        private readonly Lock _lock = new();

        public volatile bool Fail;

        public int Writes { get; private set; }

        public int FailedWrites { get; private set; }

        public string Text
        {
            get
            {
                lock (_lock)
                {
                    return Encoding.UTF8.GetString(_written.ToArray());
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_lock)
            {
                if (Fail)
                {
                    FailedWrites++;
                    throw new IOException("the reader went away");
                }

                Writes++;
                _written.Write(buffer);
            }
        }

        public override void Flush()
        {
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
