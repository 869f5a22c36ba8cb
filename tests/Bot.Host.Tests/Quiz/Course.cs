using Bot.Core.Knowledge;

namespace Bot.Host.Tests.Quiz;

/// <summary>The real course from content/, loaded once.</summary>
internal static class Course
{
    private static readonly Lazy<KnowledgeBase> Loaded = new(() => KnowledgeBaseLoader.LoadDirectory(RepoPaths.Content).KnowledgeBase
        ?? throw new InvalidOperationException("content/ is invalid; run bot content check"));

    public static KnowledgeBase KnowledgeBase => Loaded.Value;

    public static IKnowledgeBaseSource Source { get; } = new FixedSource();

    private sealed class FixedSource : IKnowledgeBaseSource
    {
        public KnowledgeBase Current => KnowledgeBase;
    }
}
