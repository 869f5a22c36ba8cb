using Bot.Core.Knowledge;
using Bot.Core.Tests;

namespace Bot.Tests.Shared;

/// <summary>The real course, as every fuzz of this project reads it.</summary>
internal static class FuzzCourse
{
    public static KnowledgeBase KnowledgeBase => Course.KnowledgeBase;

    public static IKnowledgeBaseSource Source => Course.Source;
}
