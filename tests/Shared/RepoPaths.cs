namespace Bot.Tests.Shared;

/// <summary>
/// Finds the repository from wherever a test or benchmark process runs (linked into each test
/// project, because they run from their own bin folders).
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Content => Path.Combine(Root, "content");

    public static string Fixture(string name) => Path.Combine(Root, "tests", "Bot.Core.Tests", "Fixtures", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Bot.sln not found above " + AppContext.BaseDirectory);
    }
}
