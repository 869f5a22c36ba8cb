using Markdig;

namespace Bot.Core.Knowledge;

/// <summary>The one Markdig pipeline used to read content and to split replies.</summary>
public static class ContentMarkdown
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UsePipeTables()
        .UseEmphasisExtras()
        .Build();
}
