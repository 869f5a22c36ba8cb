using Bot.Core.Knowledge;

namespace Bot.Host.Content;

/// <summary>
/// The knowledge base loading on a worker thread from the moment the host's configuration is known,
/// so that reading and indexing the course overlaps with building the rest of the host (the
/// container, Kestrel, storage) instead of following it. <see cref="ContentService"/> takes it at
/// start when it was loaded from the folder the options name.
/// </summary>
public sealed class EarlyContentLoad
{
    private EarlyContentLoad(string path, Task<(KnowledgeBaseLoadResult Result, TimeSpan Elapsed)> loading)
    {
        FullPath = path;
        Loading = loading;
    }

    /// <summary>The folder being loaded, as a full path.</summary>
    public string FullPath { get; }

    public Task<(KnowledgeBaseLoadResult Result, TimeSpan Elapsed)> Loading { get; }

    public static EarlyContentLoad Start(string path)
    {
        var fullPath = Path.GetFullPath(path);
        return new EarlyContentLoad(fullPath, Task.Run(() => ContentService.Load(fullPath)));
    }

    /// <summary>Whether this load is of <paramref name="path"/>.</summary>
    public bool IsOf(string path) => string.Equals(FullPath, Path.GetFullPath(path), StringComparison.Ordinal);
}
