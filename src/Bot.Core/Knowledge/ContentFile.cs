namespace Bot.Core.Knowledge;

/// <summary>The text of one concept file and where it came from.</summary>
/// <param name="Path">Shown in error messages, e.g. <c>content/python/closures.md</c>.</param>
/// <param name="Course">The folder under the content root.</param>
/// <param name="Id">The file name without <c>.md</c>.</param>
public sealed record ContentFile(string Path, string Course, string Id, string Text);
