using System.Threading.Channels;
using Bot.Core.Explain;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Storage;

/// <summary>
/// Takes misses on the request path without touching the database: a bounded queue that
/// <see cref="UnansweredLookupWriter"/> drains. When the writer falls behind, new misses are dropped
/// and counted, and a Warning says how many, at most once per <see cref="WarningInterval"/>.
/// </summary>
internal sealed partial class UnansweredLookupQueue : IUnansweredLookups
{
    public const int DefaultCapacity = 1024;

    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    private const long NeverWarned = long.MinValue;

    private readonly Channel<UnansweredLookup> _channel;
    private readonly TimeProvider _time;
    private readonly ILogger<UnansweredLookupQueue> _logger;
    private long _dropped;
    private long _lastWarning = NeverWarned;
    private volatile bool _closed;

    public UnansweredLookupQueue(TimeProvider time, ILogger<UnansweredLookupQueue> logger, int capacity = DefaultCapacity)
    {
        _time = time;
        _logger = logger;
        Capacity = capacity;
        // Wait mode makes TryWrite refuse when full, so that the drop can be counted; nothing ever waits.
        _channel = Channel.CreateBounded<UnansweredLookup>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    public ChannelReader<UnansweredLookup> Reader => _channel.Reader;

    /// <summary>Misses dropped since the last warning.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(UnansweredLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (_channel.Writer.TryWrite(lookup) || _closed)
        {
            return;
        }

        Interlocked.Increment(ref _dropped);
        WarnAboutDropsIfDue();
    }

    /// <summary>Logs the drops counted so far unless a warning went out within <see cref="WarningInterval"/>.</summary>
    public void WarnAboutDropsIfDue()
    {
        if (Interlocked.Read(ref _dropped) == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (last != NeverWarned && _time.GetElapsedTime(last, now) < WarningInterval)
        {
            return;
        }

        // Only the caller that moves the mark logs, so racing requests produce one warning.
        if (Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            LogDropped(Interlocked.Exchange(ref _dropped, 0), Capacity);
        }
    }

    /// <summary>Refuses further misses (the host is stopping); those already queued can still be read.</summary>
    public void Complete()
    {
        _closed = true;
        _channel.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Dropped} unanswered lookups: the queue of {Capacity} was full because the database writes fell behind")]
    private partial void LogDropped(long dropped, int capacity);
}
