using Bot.Core.Rendering;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bot.Core.Knowledge;

/// <summary>
/// Reads one concept file: front matter through YamlDotNet's representation model (which keeps
/// line numbers for every key and value), the body through <see cref="MarkdownDialect"/>.
/// Checks that need only this file happen here; checks across files happen in the loader.
/// </summary>
internal static class ConceptFileParser
{
    internal static readonly string[] Levels = ["beginner", "intermediate", "advanced"];

    /// <summary>0 for beginner up to 2 for advanced; a concept without a level sorts after all of them.</summary>
    internal static int LevelRank(string? level) => level is null ? Levels.Length : Array.IndexOf(Levels, level);

    private static readonly string[] KnownKeys = ["title", "summary", "aliases", "tags", "keywords", "asked", "related", "level", "topic"];

    public static ParsedConcept? Parse(ContentFile file, List<ContentError> errors)
    {
        var text = file.Text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var document = MarkdownDialect.ParseFile(text);
        var lines = new LineMap(text);
        var errorCountBefore = errors.Count;

        ReportUnclosedFences(file, document, errors);

        var frontMatter = document.Count > 0 ? document[0] as YamlFrontMatterBlock : null;
        if (frontMatter is null)
        {
            errors.Add(new ContentError(file.Path, 1, text.StartsWith("---", StringComparison.Ordinal)
                ? "front matter is never closed: add a line with --- after the last key"
                : "missing front matter: start the file with a line ---, then title: and summary:, then ---"));
            return null;
        }

        var openingLine = frontMatter.Line;
        var closingLine = lines.LineOf(frontMatter.Span.End);
        var yamlText = text[lines.StartOf(openingLine + 1)..lines.StartOf(closingLine)];
        var header = ReadFrontMatter(file, yamlText, firstYamlLine: openingLine + 2, errors);

        var bodyStart = closingLine + 1 < lines.LineCount ? lines.StartOf(closingLine + 1) : text.Length;
        var quiz = FindQuizSection(file, document, text, errors);
        var questions = quiz is null ? [] : QuizSectionParser.Parse(file, file.Id, quiz.Blocks, text, errors);
        var examples = PythonFence.FindExamples(file, document, quiz?.Start ?? text.Length, quiz?.End ?? text.Length, errors);
        var body = quiz is null ? text[bodyStart..].Trim() : (text[bodyStart..quiz.Start] + text[quiz.End..]).Trim();
        if (body.Length == 0)
        {
            errors.Add(new ContentError(file.Path, closingLine + 1,
                "empty body: write the definition (then an example, pitfalls and see also) after the front matter"));
        }

        // A file with errors is still returned (incomplete) when its front matter could be read, so that the checks
        // across files (names, asked questions, related, topics) cover it too instead of one error hiding the rest.
        if (header is null)
        {
            return null;
        }

        var concept = new Concept
        {
            Id = file.Id,
            Course = file.Course,
            Title = header.Title ?? "",
            Summary = header.Summary ?? "",
            Aliases = [.. header.Aliases.Select(entry => entry.Value)],
            Tags = [.. header.Tags.Select(entry => entry.Value)],
            Keywords = [.. header.Keywords.Select(entry => entry.Value)],
            Asked = [.. header.Asked.Select(entry => entry.Value)],
            Related = [.. header.Related.Select(entry => entry.Value)],
            Level = header.Level,
            Topic = header.Topic?.Value,
            Body = body,
            Sections = SplitSections(document, text, bodyStart, quiz),
            Questions = questions,
            Examples = examples,
            SourcePath = file.Path,
        };
        return new ParsedConcept(concept, header, Complete: errors.Count == errorCountBefore);
    }

    private static void ReportUnclosedFences(ContentFile file, MarkdownDocument document, List<ContentError> errors)
    {
        foreach (var fence in document.Descendants<FencedCodeBlock>())
        {
            if (fence.ClosingFencedCharCount == 0)
            {
                var marker = new string(fence.FencedChar, fence.OpeningFencedCharCount);
                errors.Add(new ContentError(file.Path, fence.Line + 1,
                    $"code fence opened here is never closed: add a line with {marker} after the code"));
            }
        }
    }

    private static FrontMatter? ReadFrontMatter(ContentFile file, string yamlText, int firstYamlLine, List<ContentError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException exception)
        {
            var line = firstYamlLine + (int)Math.Max(exception.Start.Line, 1) - 1;
            errors.Add(new ContentError(file.Path, line, $"invalid YAML: {YamlReason(exception)}"));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet throws this instead of a YamlException when the text ends inside a flow collection.
            errors.Add(new ContentError(file.Path, firstYamlLine + LineOfUnclosedBracket(yamlText),
                "invalid YAML: the front matter ends while a [list], {mapping} or quote is still open; close it"));
            return null;
        }

        var frontMatterLine = firstYamlLine - 1;
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new ContentError(file.Path, frontMatterLine,
                "front matter must be YAML keys such as title: and summary:"));
            return null;
        }

        int LineOf(YamlNode node) => firstYamlLine + (int)node.Start.Line - 1;
        var header = new FrontMatter();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            keys.Add(key);
            switch (key)
            {
                case "title":
                    header.Title = ReadScalar(file, key, valueNode, LineOf, errors);
                    header.TitleLine = LineOf(valueNode);
                    break;
                case "summary":
                    header.Summary = ReadScalar(file, key, valueNode, LineOf, errors);
                    header.SummaryLine = LineOf(valueNode);
                    break;
                case "level":
                    header.Level = ReadScalar(file, key, valueNode, LineOf, errors);
                    if (header.Level is not null && !Levels.Contains(header.Level))
                    {
                        errors.Add(new ContentError(file.Path, LineOf(valueNode),
                            $"level '{header.Level}' is not one of: {string.Join(", ", Levels)}"));
                    }

                    break;
                case "topic":
                    header.Topic = ReadScalar(file, key, valueNode, LineOf, errors) is { Length: > 0 } topic ? new LocatedValue(topic, LineOf(valueNode)) : null;
                    break;
                case "aliases":
                    header.Aliases = ReadList(file, key, valueNode, LineOf, errors);
                    break;
                case "tags":
                    header.Tags = ReadList(file, key, valueNode, LineOf, errors);
                    break;
                case "keywords":
                    header.Keywords = ReadList(file, key, valueNode, LineOf, errors);
                    break;
                case "asked":
                    header.Asked = ReadList(file, key, valueNode, LineOf, errors);
                    break;
                case "related":
                    header.Related = ReadList(file, key, valueNode, LineOf, errors);
                    break;
                default:
                    errors.Add(new ContentError(file.Path, LineOf(keyNode),
                        $"unknown front-matter key '{key}': use one of {string.Join(", ", KnownKeys)}"));
                    break;
            }
        }

        if (!keys.Contains("title"))
        {
            errors.Add(new ContentError(file.Path, frontMatterLine, "missing title: add a line such as title: Closures"));
        }
        else if (header.Title == "")
        {
            errors.Add(new ContentError(file.Path, header.TitleLine, "title is empty: write the concept's name after title:"));
        }

        if (!keys.Contains("summary"))
        {
            errors.Add(new ContentError(file.Path, frontMatterLine, "missing summary: add one or two sentences as summary:"));
        }
        else if (header.Summary == "")
        {
            errors.Add(new ContentError(file.Path, header.SummaryLine, "summary is empty: write one or two sentences after summary:"));
        }

        return header;
    }

    private static string? ReadScalar(ContentFile file, string key, YamlNode node, Func<YamlNode, int> lineOf, List<ContentError> errors)
    {
        if (node is YamlScalarNode scalar)
        {
            return scalar.Value?.Trim() ?? "";
        }

        errors.Add(new ContentError(file.Path, lineOf(node), $"{key} must be text, not a list or a mapping"));
        return null;
    }

    private static List<LocatedValue> ReadList(ContentFile file, string key, YamlNode node, Func<YamlNode, int> lineOf, List<ContentError> errors)
    {
        var items = node switch
        {
            YamlSequenceNode sequence => sequence.Children.ToList(),
            YamlScalarNode { Value: null or "" } => [],
            YamlScalarNode scalar => [scalar],
            _ => null,
        };
        if (items is null)
        {
            errors.Add(new ContentError(file.Path, lineOf(node), $"{key} must be a list such as [first, second]"));
            return [];
        }

        var values = new List<LocatedValue>();
        foreach (var item in items)
        {
            if (item is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
            {
                values.Add(new LocatedValue(value.Trim(), lineOf(item)));
            }
            else
            {
                errors.Add(new ContentError(file.Path, lineOf(item), $"every entry of {key} must be non-empty text"));
            }
        }

        return values;
    }

    /// <summary>The zero-based line where the last bracket still open at the end of the text was opened.</summary>
    private static int LineOfUnclosedBracket(string yamlText)
    {
        var open = new Stack<int>();
        var lines = yamlText.Split('\n');
        for (var line = 0; line < lines.Length; line++)
        {
            foreach (var character in lines[line])
            {
                if (character is '[' or '{')
                {
                    open.Push(line);
                }
                else if (character is ']' or '}' && open.Count > 0)
                {
                    open.Pop();
                }
            }
        }

        return open.Count > 0 ? open.Peek() : Math.Max(0, lines.Length - 2);
    }

    /// <summary>YamlDotNet prefixes its messages with the positions we already report.</summary>
    private static string YamlReason(YamlException exception)
    {
        var message = exception.Message;
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith('(') ? message[(marker + 3)..] : message;
    }

    /// <summary>
    /// The <c>## Quiz</c> section: its heading, the blocks up to the next level-2 heading, and the
    /// text range both cover. Questions are not part of the body, so /explain never shows answers.
    /// </summary>
    private static QuizSection? FindQuizSection(ContentFile file, MarkdownDocument document, string text, List<ContentError> errors)
    {
        QuizSection? found = null;
        for (var index = 1; index < document.Count; index++)
        {
            if (document[index] is not HeadingBlock { Level: 2 } heading
                || !string.Equals(InlineText(heading), QuizSectionParser.SectionHeading, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var end = index + 1;
            while (end < document.Count && document[end] is not HeadingBlock { Level: 2 })
            {
                end++;
            }

            if (found is not null)
            {
                errors.Add(new ContentError(file.Path, heading.Line + 1,
                    $"a second ## {QuizSectionParser.SectionHeading} section: put every question under the first one"));
                continue;
            }

            var endOffset = end < document.Count ? document[end].Span.Start : text.Length;
            found = new QuizSection(heading.Span.Start, endOffset, [.. document.Skip(index + 1).Take(end - index - 1)]);
        }

        return found;
    }

    private static List<ConceptSection> SplitSections(MarkdownDocument document, string text, int bodyStart, QuizSection? quiz)
    {
        var sections = new List<ConceptSection>();
        var heading = "Definition";
        var sectionStart = bodyStart;
        foreach (var block in document.Skip(1))
        {
            if (block is HeadingBlock { Level: 2 } next)
            {
                AddSection(heading, sectionStart, block.Span.Start);
                heading = next.Inline?.FirstChild is null ? "" : InlineText(next);
                sectionStart = Math.Min(text.Length, block.Span.End + 1);
            }
        }

        AddSection(heading, sectionStart, text.Length);
        return sections;

        void AddSection(string name, int start, int end)
        {
            if (quiz is not null && start > quiz.Start && start <= quiz.End)
            {
                return;
            }

            var markdown = text[start..end].Trim();
            if (markdown.Length > 0)
            {
                sections.Add(new ConceptSection(name, markdown));
            }
        }
    }

    private static string InlineText(HeadingBlock heading)
    {
        var builder = new System.Text.StringBuilder();
        AppendText(heading.Inline!, builder);
        return builder.ToString().Trim();

        static void AppendText(Markdig.Syntax.Inlines.ContainerInline container, System.Text.StringBuilder builder)
        {
            foreach (var inline in container)
            {
                switch (inline)
                {
                    case Markdig.Syntax.Inlines.LiteralInline literal:
                        builder.Append(literal.Content);
                        break;
                    case Markdig.Syntax.Inlines.CodeInline code:
                        builder.Append(code.Content);
                        break;
                    case Markdig.Syntax.Inlines.ContainerInline nested:
                        AppendText(nested, builder);
                        break;
                }
            }
        }
    }
}

internal sealed record LocatedValue(string Value, int Line);

internal sealed class FrontMatter
{
    public string? Title { get; set; }

    public string? Summary { get; set; }

    public string? Level { get; set; }

    public LocatedValue? Topic { get; set; }

    public List<LocatedValue> Aliases { get; set; } = [];

    public List<LocatedValue> Tags { get; set; } = [];

    public List<LocatedValue> Keywords { get; set; } = [];

    public List<LocatedValue> Asked { get; set; } = [];

    public List<LocatedValue> Related { get; set; } = [];

    public int TitleLine { get; set; }

    public int SummaryLine { get; set; }
}

/// <param name="Complete">False when the file had errors: it takes part in the checks across files but is not served.</param>
internal sealed record ParsedConcept(Concept Concept, FrontMatter Header, bool Complete);

internal sealed record QuizSection(int Start, int End, IReadOnlyList<Block> Blocks);
