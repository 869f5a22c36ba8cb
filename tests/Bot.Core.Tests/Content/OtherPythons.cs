using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Content;

/// <summary>
/// Every other Python from 3.11 on that this machine has besides python3: the course promises to be
/// right on each, so the content tests run its examples and answers there too. Found in
/// <c>TUTOR_PYTHONS</c> (paths separated by the path separator) when set, otherwise among pyenv's
/// versions and <c>python3.N</c> executables on PATH; one interpreter per minor version, the newest.
/// </summary>
internal static class OtherPythons
{
    private static readonly Lazy<Task<IReadOnlyList<PythonExampleRunner>>> Runners = new(FindAsync);

    public static Task<IReadOnlyList<PythonExampleRunner>> RunnersAsync() => Runners.Value;

    private static async Task<IReadOnlyList<PythonExampleRunner>> FindAsync()
    {
        var main = (await Python3.RunnerAsync()).Interpreter;
        var found = new Dictionary<PythonVersion, PythonInterpreter>();
        foreach (var command in Candidates())
        {
            PythonInterpreter interpreter;
            try
            {
                interpreter = await PythonInterpreter.DetectAsync(command, CancellationToken.None);
            }
            catch (PythonInterpreterException)
            {
                continue;
            }

            if (interpreter.Version >= new PythonVersion(3, 11) && interpreter.Version != main.Version)
            {
                found.TryAdd(interpreter.Version, interpreter);
            }
        }

        return [.. found.OrderBy(entry => entry.Key).Select(entry => new PythonExampleRunner(entry.Value, TimeProvider.System))];
    }

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("TUTOR_PYTHONS") is { Length: > 0 } listed)
        {
            return listed.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var pyenvRoot = Environment.GetEnvironmentVariable("PYENV_ROOT")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var pyenv = Directory.Exists(Path.Combine(pyenvRoot, "versions"))
            ? Directory.EnumerateDirectories(Path.Combine(pyenvRoot, "versions"))
                .OrderByDescending(folder => Version.TryParse(Path.GetFileName(folder), out var version) ? version : new Version())
                .Select(folder => Path.Combine(folder, "bin", "python3"))
                .Where(File.Exists)
            : [];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(folder => !folder.Contains("pyenv", StringComparison.Ordinal))
            .SelectMany(folder => Enumerable.Range(11, 10).Select(minor => Path.Combine(folder, $"python3.{minor}")))
            .Where(File.Exists);
        return pyenv.Concat(onPath);
    }
}
