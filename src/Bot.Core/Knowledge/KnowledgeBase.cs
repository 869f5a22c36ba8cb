using Bot.Core.Search;

namespace Bot.Core.Knowledge;

/// <summary>An immutable, validated set of concepts with its search index.</summary>
public sealed class KnowledgeBase
{
    private readonly Dictionary<string, Concept> _byId;
    private readonly ConceptSearch _search;

    internal KnowledgeBase(IReadOnlyList<Concept> concepts, IReadOnlyList<CourseInfo> courses)
    {
        Concepts = concepts;
        Courses = courses;
        _byId = concepts.ToDictionary(concept => concept.Id, StringComparer.OrdinalIgnoreCase);
        _search = new ConceptSearch(concepts);
    }

    /// <summary>Ordered by course, then title.</summary>
    public IReadOnlyList<Concept> Concepts { get; }

    /// <summary>Every course with at least one concept, ordered by id.</summary>
    public IReadOnlyList<CourseInfo> Courses { get; }

    public Concept? FindById(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// The course as learners browse it: each course's topics in their order, each with its concepts
    /// (easier levels first, then by title); concepts without a topic come last, under
    /// <see cref="CourseInfo.OtherTopics"/>.
    /// </summary>
    public IReadOnlyList<CourseOutline> Outline() =>
        [.. Courses.Select(course =>
        {
            var concepts = Concepts.Where(concept => concept.Course == course.Id).ToList();
            var groups = course.Topics
                .Select(topic => new TopicGroup(topic, Listed(concepts.Where(concept => concept.Topic == topic))))
                .Append(new TopicGroup(CourseInfo.OtherTopics, Listed(concepts.Where(concept => concept.Topic is null || !course.Topics.Contains(concept.Topic)))))
                .Where(group => group.Concepts.Count > 0);
            return new CourseOutline(course, [.. groups]);
        })];

    private static List<Concept> Listed(IEnumerable<Concept> concepts) =>
        [.. concepts.OrderBy(concept => ConceptFileParser.LevelRank(concept.Level)).ThenBy(concept => concept.Title, StringComparer.OrdinalIgnoreCase)];

    public LookupResult Lookup(string query) => _search.Lookup(query);

    /// <summary>Up to <paramref name="limit"/> concepts for a partly typed topic, best first.</summary>
    public IReadOnlyList<Concept> Complete(string partial, int limit) => _search.Complete(partial, limit);
}

/// <summary>One course of <see cref="KnowledgeBase.Outline"/>: its topic groups in order.</summary>
public sealed record CourseOutline(CourseInfo Course, IReadOnlyList<TopicGroup> Topics);

/// <summary>A topic and the concepts listed under it.</summary>
public sealed record TopicGroup(string Topic, IReadOnlyList<Concept> Concepts);

/// <summary>Gives the knowledge base currently served; it may be replaced by a reload at any time.</summary>
public interface IKnowledgeBaseSource
{
    KnowledgeBase Current { get; }
}
