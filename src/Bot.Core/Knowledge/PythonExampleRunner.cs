using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Knowledge;

/// <summary>What one run of a script gave; <paramref name="TimedOut"/> means its process tree was killed.</summary>
public sealed record PythonRun(int ExitCode, string Stdout, string Stderr, bool TimedOut);

/// <summary>
/// Runs examples as a learner would: each as <c>example.py</c> in its own empty folder, with
/// <c>PYTHONHASHSEED=random</c> so no output depends on set order by luck. An example that starts
/// processes runs once per start method, because code that only works under fork (a lambda as a
/// Process target, no <c>__main__</c> guard) breaks under spawn and forkserver, the defaults on
/// macOS, Windows and, from 3.14, Linux.
/// </summary>
/// <remarks>
/// Lives in Bot.Core because both the course tests (which reference only Bot.Core) and
/// <c>bot content check --run</c> must judge examples the same way.
/// </remarks>
public sealed partial class PythonExampleRunner(PythonInterpreter interpreter, TimeProvider timeProvider)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    // runpy keeps the script's file name, so tracebacks still point at example.py's own lines.
    private const string WithStartMethod =
        "import multiprocessing, runpy, sys; multiprocessing.set_start_method(sys.argv[1]); runpy.run_path(sys.argv[2], run_name='__main__')";

    private const int StderrLines = 8;
    private const int DiffLines = 40;

    public PythonInterpreter Interpreter => interpreter;

    /// <summary>How long one run may take before its process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    public async Task<ExampleResult> RunAsync(PythonExample example, CancellationToken cancellationToken) =>
        (await RunAllAsync([example], cancellationToken))[0];

    /// <summary>Runs every example (each start method a separate run), in parallel; results keep the input order.</summary>
    public async Task<IReadOnlyList<ExampleResult>> RunAllAsync(IReadOnlyList<PythonExample> examples, CancellationToken cancellationToken)
    {
        var runs = new List<(int Index, string? StartMethod)>();
        for (var index = 0; index < examples.Count; index++)
        {
            if (interpreter.SkipNote(examples[index]) is not null)
            {
                continue;
            }

            if (examples[index].StartsProcesses && interpreter.StartMethods.Count > 0)
            {
                runs.AddRange(interpreter.StartMethods.Select(method => (index, (string?)method)));
            }
            else
            {
                runs.Add((index, null));
            }
        }

        var failures = new ConcurrentDictionary<(int Index, int Run), ExampleFailure>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxParallelism), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, runs.Count), options, async (run, token) =>
        {
            var (index, method) = runs[run];
            if (await RunOnceAsync(examples[index], method, token) is { } failure)
            {
                failures[(index, run)] = failure;
            }
        });

        return [.. examples.Select((example, index) =>
        {
            if (interpreter.SkipNote(example) is { } note)
            {
                return new ExampleResult(example, ExampleStatus.Skipped, note, []);
            }

            var failed = failures.Where(entry => entry.Key.Index == index).OrderBy(entry => entry.Key.Run).Select(entry => entry.Value).ToList();
            return new ExampleResult(example, failed.Count == 0 ? ExampleStatus.Passed : ExampleStatus.Failed, null, failed);
        })];
    }

    /// <summary>
    /// Runs code as <c>example.py</c> in a fresh temp folder, under <paramref name="startMethod"/> when given;
    /// for callers that judge the output themselves, such as the quiz checks.
    /// </summary>
    public async Task<PythonRun> RunCodeAsync(string code, string? startMethod, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("bot-example-");
        try
        {
            const string script = "example.py";
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, script), code, cancellationToken);
            string[] arguments = startMethod is null ? [script] : ["-c", WithStartMethod, startMethod, script];
            return await RunProcessAsync(folder.FullName, arguments, cancellationToken);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A killed child may still hold a file for a moment; a leftover temp folder is harmless.
            }
        }
    }

    private async Task<ExampleFailure?> RunOnceAsync(PythonExample example, string? startMethod, CancellationToken cancellationToken)
    {
        var run = await RunCodeAsync(example.Code, startMethod, cancellationToken);
        if (run.TimedOut)
        {
            return new ExampleFailure(startMethod, $"did not finish within {Timeout.TotalSeconds:0} s and was stopped", Tail(example, run.Stderr));
        }

        if (run.ExitCode != 0)
        {
            return new ExampleFailure(startMethod, $"exited {run.ExitCode}", Tail(example, run.Stderr));
        }

        var actual = run.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        if (example.ExpectedOutput is { } expected && actual != expected.TrimEnd())
        {
            return new ExampleFailure(startMethod, "printed something other than its output block", LineDiff.Unified(expected.TrimEnd(), actual, DiffLines));
        }

        return null;
    }

    private async Task<PythonRun> RunProcessAsync(string folder, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(interpreter.Command, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment["PYTHONHASHSEED"] = "random";
        using var process = Process.Start(start) ?? throw new PythonInterpreterException($"{interpreter.Command} could not be started");
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(linked.Token);
            // A leftover grandchild can keep the pipes open after the script has exited.
            await Task.WhenAll(stdout, stderr).WaitAsync(linked.Token);
            return new PythonRun(process.ExitCode, await stdout, await stderr, TimedOut: false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAny(stderr, Task.Delay(TimeSpan.FromSeconds(1), timeProvider, CancellationToken.None));
            return new PythonRun(-1, "", stderr.IsCompleted ? await stderr : "", TimedOut: true);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Python puts the exception itself at the end of a traceback, so the last lines say what went wrong.</summary>
    /// <remarks>Traceback frames in the script are rewritten to the Markdown file and line, where the author fixes them.</remarks>
    private static string Tail(PythonExample example, string stderr)
    {
        var located = ScriptFrame().Replace(stderr, match =>
            $"File \"{example.Path}\", line {example.Line + int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture)}");
        var lines = located.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n');
        if (lines is [""])
        {
            return "(nothing on stderr)";
        }

        return lines.Length <= StderrLines
            ? string.Join('\n', lines)
            : "…\n" + string.Join('\n', lines[^StderrLines..]);
    }

    [GeneratedRegex(@"File ""[^""\n]*\bexample\.py"", line (?<line>\d{1,6})")]
    private static partial Regex ScriptFrame();
}
