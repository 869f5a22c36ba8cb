namespace Bot.Core.Knowledge;

/// <summary>
/// A problem in a content file, reported as <c>path:line: message</c>. Line 0 means the problem
/// concerns the path as a whole (a missing folder, say) and prints as <c>path: message</c>.
/// </summary>
public sealed record ContentError(string Path, int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"{Path}:{Line}: {Message}" : $"{Path}: {Message}";
}
