using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Content;

/// <summary>The local python3, detected once for every content test, and the shared runner over it.</summary>
internal static class Python3
{
    private static readonly Lazy<Task<PythonExampleRunner>> Runner = new(async () =>
        new PythonExampleRunner(await PythonInterpreter.DetectAsync(PythonInterpreter.DefaultCommand, CancellationToken.None), TimeProvider.System));

    public static Task<PythonExampleRunner> RunnerAsync() => Runner.Value;
}
