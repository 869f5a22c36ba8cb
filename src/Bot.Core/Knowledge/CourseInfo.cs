namespace Bot.Core.Knowledge;

/// <summary>
/// A course as listed to learners: its name and the order of its topic groups, from
/// <c>content/&lt;course&gt;/course.yaml</c> when there is one.
/// </summary>
/// <param name="Id">The folder under the content root.</param>
/// <param name="Title">The course's name; without a course file, the folder name capitalised.</param>
/// <param name="Topics">Topic groups in the order they are listed; without a course file, the topics its concepts name, sorted.</param>
public sealed record CourseInfo(string Id, string Title, IReadOnlyList<string> Topics)
{
    /// <summary>The file in a course folder that names the course and orders its topics.</summary>
    public const string FileName = "course.yaml";

    /// <summary>The group for concepts that name no topic, listed last.</summary>
    public const string OtherTopics = "Other topics";

    internal static CourseInfo Default(string id, IEnumerable<string> topicsInUse) =>
        new(id, id.Length == 0 ? id : char.ToUpperInvariant(id[0]) + id[1..], [.. topicsInUse.Distinct(StringComparer.Ordinal).Order(StringComparer.OrdinalIgnoreCase)]);
}

/// <summary>The text of a course's <see cref="CourseInfo.FileName"/>.</summary>
/// <param name="Path">Shown in error messages, e.g. <c>content/python/course.yaml</c>.</param>
/// <param name="Course">The folder under the content root.</param>
public sealed record CourseFile(string Path, string Course, string Text);
