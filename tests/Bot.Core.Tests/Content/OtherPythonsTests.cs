using Bot.Core.Knowledge;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Content;

/// <summary>
/// The course is right for Python 3.11 to 3.14: its examples and "What does this print?" answers hold
/// under every other such Python this machine has, not only under python3.
/// </summary>
public class OtherPythonsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Examples_PrintTheirOutputBlocks_UnderEveryOtherPython()
    {
        var runners = await OtherPythons.RunnersAsync();
        output.WriteLine(runners.Count == 0
            ? "no Python 3.11+ other than python3 found (pyenv, python3.N on PATH or TUTOR_PYTHONS)"
            : "also run under " + string.Join(", ", runners.Select(runner => $"{runner.Interpreter.Command} ({runner.Interpreter.Version})")));
        var examples = Course.KnowledgeBase.Concepts.SelectMany(concept => concept.Examples).ToList();
        var failures = new List<string>();
        foreach (var runner in runners)
        {
            var results = await runner.RunAllAsync(examples, CancellationToken.None);
            failures.AddRange(results.Where(result => result.Status == ExampleStatus.Failed)
                .Select(result => $"under {runner.Interpreter.Command} {runner.Interpreter.Version}: {result.Describe()}"));
            output.WriteLine($"{runner.Interpreter.Version}: {results.Count(result => result.Status == ExampleStatus.Passed)} passed, "
                + $"{results.Count(result => result.Status == ExampleStatus.Skipped)} skipped for their version range");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task OutputQuestions_MarkWhatEveryOtherPythonPrints()
    {
        var runners = await OtherPythons.RunnersAsync();
        var questions = Course.KnowledgeBase.Concepts
            .SelectMany(concept => concept.Questions.Where(question => question.IsOutputQuestion).Select(question => (concept, question)))
            .ToList();
        foreach (var runner in runners)
        {
            // The same parallelism the example runner uses: each program is its own process.
            await Parallel.ForEachAsync(questions, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (entry, _) =>
                await QuizContentTests.AssertMarkedAnswerIsRealAsync(entry.question, $"{entry.concept.SourcePath}:{entry.question.Line}", runner));
        }
    }
}
