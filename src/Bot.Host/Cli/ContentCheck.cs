using System.Text.Encodings.Web;
using System.Text.Json;
using Bot.Core.Knowledge;
using Bot.Host.Content;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Bot.Host.Cli;

/// <summary>
/// <c>bot content check [DIR] [--json] [--run] [--python PATH]</c>: validates without starting the bot
/// and, with --run, runs every example under Python.
/// </summary>
internal static class ContentCheck
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string? directory, bool json, bool runExamples, string? python, CancellationToken cancellationToken)
    {
        if (python is not null && !runExamples)
        {
            await Console.Error.WriteLineAsync("--python only matters with --run: add --run to run the examples under it.");
            return ExitCodes.Usage;
        }

        PythonInterpreter? interpreter = null;
        if (runExamples)
        {
            try
            {
                interpreter = await PythonInterpreter.DetectAsync(python ?? PythonInterpreter.DefaultCommand, cancellationToken);
            }
            catch (PythonInterpreterException exception)
            {
                await Console.Error.WriteLineAsync(python is null
                    ? $"content check --run needs Python: {exception.Message}. Install python3 or pass --python PATH."
                    : $"--python {python}: {exception.Message}. Pass the path of a Python 3 executable.");
                return ExitCodes.Usage;
            }
        }

        var path = directory ?? BotHost.ReadConfiguration()
            .GetSection(ContentOptions.Section).Get<ContentOptions>()?.Path ?? new ContentOptions().Path;
        var result = KnowledgeBaseLoader.LoadDirectory(path);
        var examples = interpreter is null
            ? null
            : await new PythonExampleRunner(interpreter, TimeProvider.System)
                .RunAllAsync([.. result.Concepts.OrderBy(concept => concept.SourcePath, StringComparer.Ordinal).SelectMany(concept => concept.Examples)], cancellationToken);
        var failed = examples?.Count(example => example.Status == ExampleStatus.Failed) ?? 0;

        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                concepts = result.Concepts.Select(concept => new { id = concept.Id, title = concept.Title, aliases = concept.Aliases, questions = concept.QuestionCount }),
                errors = result.Errors.Select(error => new { path = error.Path, line = error.Line, message = error.Message }),
                examples = examples is null ? null : new
                {
                    python = new { command = interpreter!.Command, version = interpreter.Version.ToString(), startMethods = interpreter.StartMethods },
                    total = examples.Count,
                    passed = examples.Count(example => example.Status == ExampleStatus.Passed),
                    failed,
                    skipped = examples.Count(example => example.Status == ExampleStatus.Skipped),
                    results = examples.Select(example => new
                    {
                        path = example.Example.Path,
                        line = example.Example.Line,
                        status = example.Status.ToString().ToLowerInvariant(),
                        note = example.Note,
                        failures = example.Failures.Select(failure => new { startMethod = failure.StartMethod, problem = failure.Problem, details = failure.Details }),
                    }),
                },
            }, Json));
        }
        else
        {
            foreach (var error in result.Errors)
            {
                Console.Out.WriteLine(error.ToString());
            }

            var courses = result.Concepts.Select(concept => concept.Course).Distinct().Count();
            var summary = $"{result.Concepts.Count} concept(s) in {courses} course(s), {result.Errors.Count} error(s) in {path}";
            AnsiConsole.MarkupLine(result.IsValid ? $"[green]OK[/]: {Markup.Escape(summary)}" : $"[red]Invalid[/]: {Markup.Escape(summary)}");
            if (examples is not null)
            {
                PrintExamples(examples, interpreter!);
            }
        }

        return result.IsValid && failed == 0 ? ExitCodes.Success : ExitCodes.InvalidContent;
    }

    private static void PrintExamples(IReadOnlyList<ExampleResult> examples, PythonInterpreter interpreter)
    {
        foreach (var example in examples.Where(example => example.Status == ExampleStatus.Failed))
        {
            Console.Out.WriteLine(example.Describe());
        }

        foreach (var example in examples.Where(example => example.Status == ExampleStatus.Skipped))
        {
            Console.Out.WriteLine(example.Describe());
        }

        var passed = examples.Count(example => example.Status == ExampleStatus.Passed);
        var failed = examples.Count(example => example.Status == ExampleStatus.Failed);
        var skipped = examples.Count(example => example.Status == ExampleStatus.Skipped);
        var summary = $"{examples.Count} examples: {passed} passed, {failed} failed, {skipped} skipped (under {interpreter.Command} {interpreter.Version})";
        var verdict = failed > 0 ? "[red]Failed[/]" : examples.Count == 0 ? "[yellow]Nothing run[/]" : "[green]OK[/]";
        AnsiConsole.MarkupLine($"{verdict}: {Markup.Escape(summary)}");
    }
}
