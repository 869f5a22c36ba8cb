using System.Text;

namespace Bot.Core.Knowledge;

public enum ExampleStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One way an example went wrong in one run.</summary>
/// <param name="StartMethod">The multiprocessing start method of the run, or null when the example starts no processes.</param>
/// <param name="Problem">One line, e.g. <c>exited 1</c> or <c>printed something other than its output block</c>.</param>
/// <param name="Details">The end of stderr, or expected against actual output as a diff; may span lines.</param>
public sealed record ExampleFailure(string? StartMethod, string Problem, string Details);

/// <summary>What happened to one example: passed under every run, failed in at least one, or skipped with a note.</summary>
public sealed record ExampleResult(PythonExample Example, ExampleStatus Status, string? Note, IReadOnlyList<ExampleFailure> Failures)
{
    /// <summary>
    /// <c>path:line: problem (start method …)</c> on the first line, the details of the first failure
    /// indented below it; for a skip, <c>path:line: skipped: note</c>; for a pass, <c>path:line: passed</c>.
    /// </summary>
    public string Describe()
    {
        var location = $"{Example.Path}:{Example.Line}";
        if (Status == ExampleStatus.Skipped)
        {
            return $"{location}: skipped: {Note}";
        }

        if (Failures.Count == 0)
        {
            return $"{location}: passed";
        }

        var first = Failures[0];
        var methods = Failures.Where(failure => failure.StartMethod is not null).Select(failure => failure.StartMethod).ToList();
        var under = methods.Count switch
        {
            0 => "",
            1 => $" (start method {methods[0]})",
            _ => $" (start methods {string.Join(", ", methods)}; details for {methods[0]})",
        };
        var text = new StringBuilder($"{location}: {first.Problem}{under}");
        foreach (var line in first.Details.Split('\n'))
        {
            text.Append("\n    ").Append(line);
        }

        return text.ToString();
    }
}
