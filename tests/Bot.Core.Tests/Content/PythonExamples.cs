using System.Diagnostics;
using Bot.Core.Knowledge;
using Markdig;
using Markdig.Syntax;

namespace Bot.Core.Tests.Content;

/// <summary>A runnable <c>python</c> block of a concept, with the <c>output</c> block that follows it, if any.</summary>
internal sealed record PythonExample(string Code, string? ExpectedOutput, int Line)
{
    public static IEnumerable<PythonExample> In(Concept concept)
    {
        var document = Markdown.Parse(concept.Body, ContentMarkdown.Pipeline);
        var blocks = document.Descendants<FencedCodeBlock>().ToList();
        for (var index = 0; index < blocks.Count; index++)
        {
            var block = blocks[index];
            if (block.Info != "python" || (block.Arguments ?? "").Contains("no-run", StringComparison.Ordinal))
            {
                continue;
            }

            var next = index + 1 < blocks.Count ? blocks[index + 1] : null;
            var output = next is { Info: "output" } && block.Parent!.IndexOf(next) == block.Parent.IndexOf(block) + 1
                ? next.Lines.ToString()
                : null;
            yield return new PythonExample(block.Lines.ToString(), output, block.Line + 1);
        }
    }

    /// <summary>Runs the code as a standalone script in an empty folder, as a learner would.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("bot-example-");
        try
        {
            var script = Path.Combine(folder.FullName, "example.py");
            await File.WriteAllTextAsync(script, Code);
            var start = new ProcessStartInfo("python3", [script])
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["PYTHONHASHSEED"] = "random";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
