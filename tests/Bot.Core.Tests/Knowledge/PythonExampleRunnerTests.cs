using Bot.Core.Knowledge;

namespace Bot.Core.Tests.Knowledge;

/// <summary>Runs the examples fixture under the local python3, once for the whole class.</summary>
public class PythonExampleRunnerTests : IClassFixture<PythonExampleRunnerTests.FixtureRun>
{
    private readonly FixtureRun _run;

    public PythonExampleRunnerTests(FixtureRun run) => _run = run;

    [Fact]
    public void RunAll_ExampleWithItsOutput_Passes()
    {
        var result = _run.At(9);

        Assert.Equal(ExampleStatus.Passed, result.Status);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void RunAll_ExampleThatRaises_FailsAtItsFileLineWithTheException()
    {
        var result = _run.At(17);

        Assert.Equal(ExampleStatus.Failed, result.Status);
        var failure = Assert.Single(result.Failures);
        Assert.Equal("exited 1", failure.Problem);
        Assert.Null(failure.StartMethod);
        Assert.Contains("ZeroDivisionError: division by zero", failure.Details, StringComparison.Ordinal);
        Assert.Contains($"File \"{_run.Path}\", line 19, in divide", failure.Details, StringComparison.Ordinal);
        Assert.StartsWith($"{_run.Path}:17: exited 1\n    ", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunAll_WrongOutput_ShowsExpectedAgainstActual()
    {
        var result = _run.At(23);

        var failure = Assert.Single(result.Failures);
        Assert.Equal("printed something other than its output block", failure.Problem);
        Assert.Equal("--- expected (output block)\n+++ actual (stdout)\n alpha\n-delta\n+beta\n gamma", failure.Details);
        Assert.Contains($"{_run.Path}:23: printed something other than its output block\n", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void RunAll_ExampleForANewerPython_IsSkippedWithANote()
    {
        var result = _run.At(34);

        Assert.Equal(ExampleStatus.Skipped, result.Status);
        Assert.Equal($"needs Python ≥ 3.99; python3 is {_run.Interpreter.Version}", result.Note);
        Assert.Equal($"{_run.Path}:34: skipped: {result.Note}", result.Describe());
    }

    [Fact]
    public void RunAll_LambdaAsProcessTarget_FailsUnderSpawnAndForkserverButNotFork()
    {
        Assert.Contains("spawn", _run.Interpreter.StartMethods);
        var result = _run.At(38);

        Assert.Equal(ExampleStatus.Failed, result.Status);
        var failedUnder = result.Failures.Select(failure => failure.StartMethod).ToList();
        Assert.Contains("spawn", failedUnder);
        Assert.DoesNotContain("fork", failedUnder);
        Assert.Equal(_run.Interpreter.StartMethods.Count - 1, failedUnder.Count);
        Assert.Contains("PicklingError", result.Failures[0].Details, StringComparison.Ordinal);
        Assert.Matches(@"^\S+examples\.md:38: exited 1 \(start methods? (spawn|forkserver)", result.Describe());
    }

    [Fact]
    public async Task RunAll_InterpreterVersionAboveMax_SkipsWithoutRunningAndRunsInsideTheRange()
    {
        var fakeNewer = _run.Interpreter with { Version = new PythonVersion(3, 14) };
        var runner = new PythonExampleRunner(fakeNewer, TimeProvider.System);
        PythonExample[] examples =
        [
            new("a.md", 1, "raise SystemExit(3)", null, MaxVersion: new PythonVersion(3, 12)),
            new("a.md", 5, "print('ok')", "ok", MinVersion: new PythonVersion(3, 14)),
        ];

        var results = await runner.RunAllAsync(examples, CancellationToken.None);

        Assert.Equal([ExampleStatus.Skipped, ExampleStatus.Passed], results.Select(result => result.Status));
        Assert.Equal($"needs Python ≤ 3.12; python3 is 3.14", results[0].Note);
    }

    [Fact]
    public async Task DetectAsync_MissingInterpreter_ThrowsNamingIt()
    {
        var exception = await Assert.ThrowsAsync<PythonInterpreterException>(
            () => PythonInterpreter.DetectAsync("/nonexistent/python9", CancellationToken.None));

        Assert.StartsWith("/nonexistent/python9 could not be started", exception.Message, StringComparison.Ordinal);
    }

    public sealed class FixtureRun : IAsyncLifetime
    {
        public PythonInterpreter Interpreter { get; private set; } = null!;

        public IReadOnlyList<ExampleResult> Results { get; private set; } = [];

        public string Path { get; private set; } = "";

        public ExampleResult At(int line) => Results.Single(result => result.Example.Line == line);

        public async Task InitializeAsync()
        {
            var concept = Assert.Single(KnowledgeBaseLoader.LoadDirectory(RepoPaths.Fixture("examples")).Concepts);
            Path = concept.SourcePath;
            Interpreter = await PythonInterpreter.DetectAsync(PythonInterpreter.DefaultCommand, CancellationToken.None);
            Results = await new PythonExampleRunner(Interpreter, TimeProvider.System).RunAllAsync(concept.Examples, CancellationToken.None);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}

/// <summary>The timeout path, driven by a clock the test moves instead of by waiting.</summary>
public class PythonExampleRunnerTimeoutTests
{
    [Fact]
    public async Task RunAsync_ExampleStillRunningAtTheTimeout_IsStoppedAndReported()
    {
        var clock = new JumpingTimeProvider();
        var interpreter = await PythonInterpreter.DetectAsync(PythonInterpreter.DefaultCommand, CancellationToken.None);
        var runner = new PythonExampleRunner(interpreter, clock);
        var example = new PythonExample("slow.md", 3, "import time\ntime.sleep(600)", null);

        var running = runner.RunAsync(example, CancellationToken.None);
        await clock.TimerCreated;
        clock.JumpPastEveryTimer();
        var result = await running;

        Assert.Equal(ExampleStatus.Failed, result.Status);
        Assert.Equal("did not finish within 30 s and was stopped", Assert.Single(result.Failures).Problem);
    }

    /// <summary>Timers fire only when the test jumps the clock; timers created after a jump fire at once.</summary>
    private sealed class JumpingTimeProvider : TimeProvider
    {
        private readonly List<JumpTimer> _timers = [];
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _jumped;

        public Task TimerCreated => _created.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new JumpTimer(callback, state);
            bool fireNow;
            lock (_timers)
            {
                _timers.Add(timer);
                fireNow = _jumped;
            }

            _created.TrySetResult();
            if (fireNow)
            {
                timer.Fire();
            }

            return timer;
        }

        public void JumpPastEveryTimer()
        {
            List<JumpTimer> due;
            lock (_timers)
            {
                _jumped = true;
                due = [.. _timers];
            }

            due.ForEach(timer => timer.Fire());
        }

        private sealed class JumpTimer(TimerCallback callback, object? state) : ITimer
        {
            private bool _disposed;

            public void Fire()
            {
                if (!_disposed)
                {
                    ThreadPool.QueueUserWorkItem(_ => callback(state));
                }
            }

            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose() => _disposed = true;

            public ValueTask DisposeAsync()
            {
                _disposed = true;
                return ValueTask.CompletedTask;
            }
        }
    }
}
