using Bot.Core.Knowledge;

namespace Bot.Tests.Shared;

/// <summary>The real course, as every fuzz of this project reads it.</summary>
internal static class FuzzCourse
{
    public static KnowledgeBase KnowledgeBase => CourseReplies.Course;

    public static IKnowledgeBaseSource Source { get; } = new FixedSource();

    private sealed class FixedSource : IKnowledgeBaseSource
    {
        public KnowledgeBase Current => CourseReplies.Course;
    }
}
