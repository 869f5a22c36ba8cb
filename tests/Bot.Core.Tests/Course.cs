using Bot.Core.Knowledge;

namespace Bot.Core.Tests;

/// <summary>The real course from content/, loaded once for all tests.</summary>
internal static class Course
{
    private static readonly Lazy<KnowledgeBaseLoadResult> Loaded = new(() => KnowledgeBaseLoader.LoadDirectory(RepoPaths.Content));

    public static KnowledgeBaseLoadResult Result => Loaded.Value;

    public static KnowledgeBase KnowledgeBase => Result.KnowledgeBase
        ?? throw new InvalidOperationException("content/ is invalid: " + string.Join("\n", Result.Errors));

    public static IKnowledgeBaseSource Source { get; } = new FixedSource();

    private sealed class FixedSource : IKnowledgeBaseSource
    {
        public KnowledgeBase Current => KnowledgeBase;
    }
}
