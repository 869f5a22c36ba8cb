using System.Globalization;
using System.Text;
using Bot.Core.Knowledge;
using Bot.Core.Replies;

namespace Bot.Core.Explain;

/// <summary>
/// The course as learners browse it, for <c>/explain</c> with no topic and for <c>/help</c>: a short
/// text listing every topic group with its concepts, and a menu of the same groups whose options
/// explain a concept.
/// </summary>
public static class CourseMenu
{
    public const string Placeholder = "Pick a concept to explain";

    /// <summary>One paragraph per topic: its name in bold, then its concepts, easier ones first.</summary>
    public static string Text(KnowledgeBase knowledgeBase)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        var outline = knowledgeBase.Outline();
        var body = new StringBuilder();
        foreach (var course in outline)
        {
            if (outline.Count > 1)
            {
                body.Append(CultureInfo.InvariantCulture, $"### {MarkdownText.Escape(course.Course.Title)}\n\n");
            }

            foreach (var group in course.Topics)
            {
                body.Append(CultureInfo.InvariantCulture, $"**{MarkdownText.Escape(group.Topic)}**: ")
                    .AppendJoin(" · ", group.Concepts.Select(concept => MarkdownText.Escape(concept.Title)))
                    .Append("\n\n");
            }
        }

        return body.ToString().TrimEnd();
    }

    /// <summary>How many concepts in how many topics, e.g. "83 concepts in 11 topics".</summary>
    public static string Count(KnowledgeBase knowledgeBase)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        var topics = knowledgeBase.Outline().Sum(course => course.Topics.Count);
        var concepts = knowledgeBase.Concepts.Count;
        return string.Create(CultureInfo.InvariantCulture, $"{concepts} {(concepts == 1 ? "concept" : "concepts")} in {topics} {(topics == 1 ? "topic" : "topics")}");
    }

    /// <summary>Every concept as an option that explains it, grouped by topic (and course, when there are several).</summary>
    public static ReplyMenu Menu(KnowledgeBase knowledgeBase)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        var outline = knowledgeBase.Outline();
        return new ReplyMenu(Placeholder, [.. outline.SelectMany(course => course.Topics.Select(group => new ReplyMenuGroup(
            outline.Count > 1 ? $"{course.Course.Title}: {group.Topic}" : group.Topic,
            [.. group.Concepts.Select(Option)])))]);
    }

    private static ReplyMenuOption Option(Concept concept) =>
        new(ReplyActions.Explain(concept.Id, concept.Title).Id, concept.Title,
            concept.Level is { } level ? $"{char.ToUpperInvariant(level[0])}{level[1..]} · {concept.Summary}" : concept.Summary);
}
