using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Parsers;
using Markdig.Syntax;

namespace Bot.Core.Rendering;

/// <summary>
/// The one Markdown the bot reads, content files and replies alike: CommonMark with pipe tables and
/// the emphasis extras (<c>~~strike~~</c> and friends), through one Markdig pipeline built once.
/// </summary>
public static class MarkdownDialect
{
    /// <summary>
    /// The pipeline. A YAML front matter is only read by <see cref="ParseFile"/>: a reply body is not a
    /// file, and one that starts with <c>---</c> is a thematic break followed by more Markdown.
    /// </summary>
    public static MarkdownPipeline Pipeline { get; } = Build();

    /// <summary>Reply or snippet Markdown, without front matter.</summary>
    public static MarkdownDocument Parse(string markdown) => Markdown.Parse(markdown, Pipeline);

    /// <summary>A content file: its front matter, when it opens with one, becomes a <see cref="YamlFrontMatterBlock"/>.</summary>
    public static MarkdownDocument ParseFile(string text) => Markdown.Parse(text, Pipeline, new ContentFileContext());

    private static MarkdownPipeline Build()
    {
        var builder = new MarkdownPipelineBuilder();
        // Where Markdig's own YAML extension puts its parser; the extension then sees it and adds no second one.
        builder.BlockParsers.InsertBefore<ThematicBreakParser>(new FileFrontMatterParser());
        return builder
            .UseYamlFrontMatter()
            .UsePipeTables()
            .UseEmphasisExtras()
            .Build();
    }

    private sealed class ContentFileContext : MarkdownParserContext;

    /// <summary>Markdig's front matter parser, asked only while a content file is parsed.</summary>
    private sealed class FileFrontMatterParser : YamlFrontMatterParser
    {
        public override BlockState TryOpen(BlockProcessor processor) =>
            processor.Context is ContentFileContext ? base.TryOpen(processor) : BlockState.None;
    }
}
