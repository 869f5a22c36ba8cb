using System.Diagnostics;
using Bot.Core.Knowledge;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Host.Content;

/// <summary>
/// Loads the knowledge base when the host starts (refusing to start if it is invalid) and, when
/// watching, reloads it after files change. A reload that fails validation keeps the last good
/// knowledge base and logs every error.
/// </summary>
/// <remarks>
/// The first load is waited for only once every service has started (<see cref="StartedAsync"/>), not
/// in <see cref="StartAsync"/>: the services after this one (storage's migrations, Kestrel's bind) then
/// start while the course is read and indexed, instead of after it, so a larger course does not add
/// their time to the start. <c>/readyz</c> answers 503 until the course is loaded, and anything that
/// asks for <see cref="Current"/> sooner waits for it.
/// </remarks>
public sealed partial class ContentService(IOptions<ContentOptions> options, TimeProvider time, ILogger<ContentService> logger, EarlyContentLoad? earlyLoad = null)
    : IKnowledgeBaseSource, IHostedLifecycleService, IDisposable
{
    private readonly ContentOptions _options = options.Value;
    private readonly Lock _reloadLock = new();
    private KnowledgeBase? _current;
    private Task<KnowledgeBase>? _firstLoad;
    private FileSystemWatcher? _watcher;
    private ITimer? _reloadTimer;
    private ITimer? _compactionTimer;

    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    public KnowledgeBase Current => Volatile.Read(ref _current) ?? WaitForFirstLoad();

    /// <summary>Raised after every reload attempt, good or bad; lets callers wait for one.</summary>
    public event Action<KnowledgeBaseLoadResult>? Reloaded;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Begins the first load, or takes over the early one; <see cref="StartedAsync"/> waits for it.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _firstLoad ??= FirstLoadAsync();
        return Task.CompletedTask;
    }

    /// <exception cref="InvalidKnowledgeBaseException">The course has errors; the host must not run with it.</exception>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await _firstLoad!.WaitAsync(cancellationToken);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<KnowledgeBase> FirstLoadAsync()
    {
        var (result, elapsed) = earlyLoad is not null && earlyLoad.IsOf(_options.Path)
            ? await earlyLoad.Loading
            : await Task.Run(() => Load(_options.Path));
        if (result.KnowledgeBase is null)
        {
            throw new InvalidKnowledgeBaseException(result.Errors);
        }

        Volatile.Write(ref _current, result.KnowledgeBase);
        LogLoaded(result.Concepts.Count, _options.Path, elapsed.TotalMilliseconds);
        _compactionTimer = time.CreateTimer(_ => ReleaseLoadGarbage(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        ScheduleCompaction();
        if (_options.Watch)
        {
            StartWatching();
        }

        return result.KnowledgeBase;
    }

    /// <summary>A request that came in while the host was starting waits for the course (a few hundred milliseconds).</summary>
    private KnowledgeBase WaitForFirstLoad()
    {
        if (_firstLoad is { IsFaulted: false, IsCanceled: false } loading)
        {
            try
            {
                return loading.GetAwaiter().GetResult();
            }
            catch (InvalidKnowledgeBaseException)
            {
            }
        }

        throw new InvalidOperationException("The knowledge base is loaded when the host starts, and it did not load.");
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _watcher = null;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reloadTimer?.Dispose();
        _compactionTimer?.Dispose();
    }

    internal static (KnowledgeBaseLoadResult Result, TimeSpan Elapsed) Load(string path)
    {
        var started = Stopwatch.GetTimestamp();
        var result = KnowledgeBaseLoader.LoadDirectory(path);
        return (result, Stopwatch.GetElapsedTime(started));
    }

    private void StartWatching()
    {
        _reloadTimer = time.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(_options.Path)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => ScheduleReload();
        _watcher.Created += (_, _) => ScheduleReload();
        _watcher.Deleted += (_, _) => ScheduleReload();
        _watcher.Renamed += (_, _) => ScheduleReload();
        _watcher.Error += (_, _) => ScheduleReload();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>
    /// A load allocates about 60 MB, nearly all of it garbage once the course is indexed (about 12 MB stays). The
    /// collector keeps what it collected committed as allocation budget, so without this the process idles some
    /// 20 MB larger than it needs to. One compacting collection that returns free memory to the system, a moment
    /// after each good load so that a start's first requests do not wait for it.
    /// </summary>
    internal static readonly TimeSpan CompactionDelay = TimeSpan.FromSeconds(1);

    private void ScheduleCompaction() => _compactionTimer?.Change(CompactionDelay, Timeout.InfiniteTimeSpan);

    private static void ReleaseLoadGarbage() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private void ScheduleReload() => _reloadTimer?.Change(_options.ReloadDelay, Timeout.InfiniteTimeSpan);

    private void Reload()
    {
        lock (_reloadLock)
        {
            var (result, elapsed) = Load(_options.Path);
            if (result.KnowledgeBase is { } knowledgeBase)
            {
                Volatile.Write(ref _current, knowledgeBase);
                LogReloaded(result.Concepts.Count, elapsed.TotalMilliseconds);
                ScheduleCompaction();
            }
            else
            {
                foreach (var error in result.Errors)
                {
                    LogContentError(error.ToString());
                }

                LogKeptLastGood(result.Errors.Count, Current.Concepts.Count);
            }

            Reloaded?.Invoke(result);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {ConceptCount} concepts from {ContentPath} in {ElapsedMs:F0} ms")]
    private partial void LogLoaded(int conceptCount, string contentPath, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded {ConceptCount} concepts in {ElapsedMs:F0} ms")]
    private partial void LogReloaded(int conceptCount, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Content error: {ContentError}")]
    private partial void LogContentError(string contentError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Content has {ErrorCount} error(s); still serving the last good knowledge base ({ConceptCount} concepts)")]
    private partial void LogKeptLastGood(int errorCount, int conceptCount);
}
