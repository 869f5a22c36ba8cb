namespace Bot.Host.Content;

/// <summary>Configuration section <c>Content</c>: where the courses live and how changes are picked up.</summary>
public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>Folder with one sub-folder per course; relative paths start at the working directory. Default <c>content</c>.</summary>
    public string Path { get; set; } = "content";

    /// <summary>Reload when a file under <see cref="Path"/> changes. Default true.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>
    /// Quiet time after the last change before reloading, so that an editor's burst of writes
    /// reloads once. Default 300 ms; between 0 and 10 s.
    /// </summary>
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(300);
}
