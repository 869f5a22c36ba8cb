using Bot.Core.Knowledge;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Markdig;
using Markdig.Syntax;

namespace Bot.Core.Tests.Replies;

/// <summary>Every concept of the course, split for each platform's body limit, renders whole.</summary>
public class ContentLimitTests
{
    /// <summary>Discord message content, Slack section text, Discord embed description.</summary>
    public static TheoryData<int> Limits => [2000, 3000, 4096];

    [Theory]
    [MemberData(nameof(Limits))]
    public void EveryConceptBody_SplitForLimit_FitsAndKeepsEveryFenceClosed(int limit)
    {
        foreach (var concept in Course.KnowledgeBase.Concepts)
        {
            var chunks = MarkdownSplitter.Split(concept.Body, limit);

            Assert.All(chunks, chunk => Assert.InRange(chunk.Length, 1, limit));
            Assert.All(chunks, chunk => Assert.DoesNotContain(
                Markdown.Parse(chunk, MarkdownDialect.Pipeline).Descendants<FencedCodeBlock>(),
                fence => fence.ClosingFencedCharCount == 0));
            Assert.True(
                Markdown.Parse(concept.Body, MarkdownDialect.Pipeline).Descendants<FencedCodeBlock>().Count()
                    <= chunks.Sum(chunk => Markdown.Parse(chunk, MarkdownDialect.Pipeline).Descendants<FencedCodeBlock>().Count()),
                $"{concept.Id}: a code block was lost in splitting");
        }
    }
}
