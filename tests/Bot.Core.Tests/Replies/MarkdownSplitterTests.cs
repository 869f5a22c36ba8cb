using System.Globalization;
using System.Text;
using Bot.Core.Rendering;
using Bot.Core.Replies;
using Markdig;
using Markdig.Syntax;

namespace Bot.Core.Tests.Replies;

public class MarkdownSplitterTests
{
    [Fact]
    public void Split_ShortText_ReturnsItUnchanged()
    {
        Assert.Equal(["Hello **world**."], MarkdownSplitter.Split("Hello **world**.\n", 100));
    }

    [Fact]
    public void Split_Blank_ReturnsNoChunks()
    {
        Assert.Empty(MarkdownSplitter.Split(" \n\n ", 100));
    }

    [Fact]
    public void Split_BlocksThatFitTogether_CutsBetweenBlocks()
    {
        var text = "First paragraph here.\n\n```python\nprint(1)\nprint(2)\n```\n\nLast paragraph.";

        var chunks = MarkdownSplitter.Split(text, 50);

        Assert.Equal(["First paragraph here.", "```python\nprint(1)\nprint(2)\n```\n\nLast paragraph."], chunks);
    }

    [Fact]
    public void Split_CodeBlockLongerThanLimit_IsRefencedWithItsLanguage()
    {
        var code = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"print({i})"));

        var chunks = MarkdownSplitter.Split($"```python\n{code}\n```", 100);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, chunk =>
        {
            Assert.StartsWith("```python\n", chunk, StringComparison.Ordinal);
            Assert.EndsWith("\n```", chunk, StringComparison.Ordinal);
        });
        Assert.Equal(code, string.Join('\n', chunks.Select(chunk => chunk["```python\n".Length..^"\n```".Length])));
    }

    /// <summary>A chunk that starts with a list item's code block: the fence and its code lose the item's indentation alike.</summary>
    [Fact]
    public void Split_ChunkStartingWithACodeBlockOfAListItem_KeepsTheCodesOwnIndentation()
    {
        var text = "1. Install it:\n\n   ```python\n   def f():\n       return 1\n   ```\n\n2. Then run it and see what happens with a long line of text here.";

        var chunks = MarkdownSplitter.Split(text, 60);

        Assert.Contains("```python\ndef f():\n    return 1\n```", chunks);
    }

    /// <summary>
    /// A code block in a list item or quote too long for one chunk is re-fenced inside its container, each
    /// piece indented as the original was, and the code keeps its own indentation.
    /// </summary>
    [Theory]
    [InlineData("- ", "  ")]
    [InlineData("1. ", "   ")]
    [InlineData("> ", "> ")]
    public void Split_CodeBlockInAContainerLongerThanLimit_IsRefencedInsideIt(string opening, string indent)
    {
        var code = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"def f{i}():\n    return {i}"));
        var text = opening + "```python\n" + string.Join('\n', code.Split('\n').Select(line => indent + line)) + "\n" + indent + "```";

        var chunks = MarkdownSplitter.Split(text, 200);

        Assert.True(chunks.Count > 2, string.Join("\n---\n", chunks));
        Assert.All(chunks, chunk => Assert.InRange(chunk.Length, 1, 200));
        var fences = chunks.Select(chunk => Assert.Single(MarkdownDialect.Parse(chunk).Descendants<FencedCodeBlock>())).ToList();
        Assert.IsNotType<MarkdownDocument>(fences[0].Parent);
        Assert.All(fences, fence => Assert.Equal("python", fence.Info));
        Assert.Equal(code, string.Join('\n', fences.Select(fence => fence.Lines.ToString().TrimEnd('\n'))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Split_GeneratedDocuments_StayWithinLimitNeverCutAFenceAndKeepAllText(int seed)
    {
        var random = new Random(seed);
        for (var document = 0; document < 40; document++)
        {
            var text = GenerateDocument(random);
            var limit = random.Next(MarkdownSplitter.MinimumLimit + 40, 600);

            var chunks = MarkdownSplitter.Split(text, limit);

            Assert.All(chunks, chunk => Assert.InRange(chunk.Length, 1, limit));
            Assert.All(chunks, chunk => Assert.DoesNotContain(
                Markdown.Parse(chunk, MarkdownDialect.Pipeline).Descendants<FencedCodeBlock>(),
                fence => fence.ClosingFencedCharCount == 0));
            Assert.Equal(TextWithoutFencesOrSpaces(text), TextWithoutFencesOrSpaces(string.Join('\n', chunks)));
        }
    }

    /// <summary>A word, or a line of code, of ZWJ sequences and flags longer than a chunk: it is cut between whole characters only.</summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(0, true)]
    [InlineData(5, true)]
    public void Split_WordOfEmojiSequencesLongerThanLimit_CutsOnlyBetweenWholeCharacters(int offset, bool inCode)
    {
        const string family = "\U0001F469\u200D\U0001F469\u200D\U0001F467";
        const string flag = "\U0001F1EB\U0001F1F7";
        var word = new string('x', offset) + string.Concat(Enumerable.Repeat(family + flag, 40));
        var markdown = inCode ? "```\n" + word + "\n```" : word;

        var chunks = MarkdownSplitter.Split(markdown, 100);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, chunk => Assert.InRange(chunk.Length, 1, 100));
        var text = string.Concat(chunks.Select(chunk => inCode ? chunk["```\n".Length..^"\n```".Length].Replace("\n", "", StringComparison.Ordinal) : chunk));
        Assert.Equal(word, text);
        Assert.All(chunks.SelectMany(TextElements), element => Assert.Contains(element, new[] { "x", "`", "\n", family, flag }));
    }

    [Fact]
    public void Split_LimitBelowMinimum_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MarkdownSplitter.Split("text", MarkdownSplitter.MinimumLimit - 1));
    }

    private static IEnumerable<string> TextElements(string text)
    {
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            yield return elements.GetTextElement();
        }
    }

    private static string GenerateDocument(Random random)
    {
        var builder = new StringBuilder();
        for (var block = random.Next(1, 12); block > 0; block--)
        {
            switch (random.Next(5))
            {
                case 0:
                    builder.Append("## Heading ").Append(random.Next(100)).Append("\n\n");
                    break;
                case 1:
                    builder.Append("```python\n");
                    for (var line = random.Next(1, 40); line > 0; line--)
                    {
                        builder.Append("value_").Append(line).Append(" = ").Append(new string('x', random.Next(0, 90))).Append('\n');
                    }

                    builder.Append("```\n\n");
                    break;
                case 2:
                    for (var item = random.Next(1, 8); item > 0; item--)
                    {
                        builder.Append("- item ").Append(Sentence(random, random.Next(2, 30))).Append('\n');
                    }

                    builder.Append('\n');
                    break;
                case 3:
                    builder.Append("- a list item with code:\n\n  ```text\n");
                    for (var line = random.Next(1, 30); line > 0; line--)
                    {
                        builder.Append("  output line ").Append(line).Append('\n');
                    }

                    builder.Append("  ```\n\n");
                    break;
                default:
                    builder.Append(Sentence(random, random.Next(5, 200))).Append("\n\n");
                    break;
            }
        }

        return builder.ToString();
    }

    private static string Sentence(Random random, int words) =>
        string.Join(' ', Enumerable.Range(0, words).Select(_ => new string('a', random.Next(1, 12)) + random.Next(10)));

    /// <summary>What must survive splitting: every character except whitespace and the fence lines the splitter may add.</summary>
    private static string TextWithoutFencesOrSpaces(string markdown) =>
        string.Concat(markdown.Split('\n')
            .Where(line => !line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            .SelectMany(line => line.Where(character => !char.IsWhiteSpace(character))));
}
