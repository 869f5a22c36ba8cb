using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bot.Core.Knowledge;

/// <summary>
/// Reads a course file: <c>title:</c> (the course's name) and <c>topics:</c> (its topic groups, in
/// the order learners see them). Every problem is reported at its line.
/// </summary>
internal static class CourseFileParser
{
    private static readonly string[] KnownKeys = ["title", "topics"];

    /// <summary>The course, or null when the file has errors (they are added to <paramref name="errors"/>).</summary>
    public static CourseInfo? Parse(CourseFile file, List<ContentError> errors)
    {
        var errorCountBefore = errors.Count;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(file.Text));
        }
        catch (Exception exception) when (exception is YamlException or InvalidOperationException)
        {
            var line = exception is YamlException yaml ? (int)Math.Max(yaml.Start.Line, 1) : 1;
            errors.Add(new ContentError(file.Path, line, $"invalid YAML: {exception.Message}"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new ContentError(file.Path, 1, "a course file holds keys such as title: Python and topics: [first, second]"));
            return null;
        }

        string? title = null;
        var topics = new List<string>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var line = (int)valueNode.Start.Line;
            switch (key)
            {
                case "title" when valueNode is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value):
                    title = value.Trim();
                    break;
                case "title":
                    errors.Add(new ContentError(file.Path, line, "title must be the course's name as text"));
                    break;
                case "topics" when valueNode is YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        var itemLine = (int)item.Start.Line;
                        if (item is not YamlScalarNode { Value: { } topic } || string.IsNullOrWhiteSpace(topic))
                        {
                            errors.Add(new ContentError(file.Path, itemLine, "every topic must be non-empty text"));
                        }
                        else if (topics.Contains(topic.Trim(), StringComparer.Ordinal))
                        {
                            errors.Add(new ContentError(file.Path, itemLine, $"topic '{topic.Trim()}' is listed twice; remove one"));
                        }
                        else
                        {
                            topics.Add(topic.Trim());
                        }
                    }

                    break;
                case "topics":
                    errors.Add(new ContentError(file.Path, line, "topics must be a list such as [Basics, Functions]"));
                    break;
                default:
                    errors.Add(new ContentError(file.Path, (int)keyNode.Start.Line,
                        $"unknown course key '{key}': use one of {string.Join(", ", KnownKeys)}"));
                    break;
            }
        }

        return errors.Count > errorCountBefore ? null : new CourseInfo(file.Course, title ?? CourseInfo.Default(file.Course, []).Title, topics);
    }
}
