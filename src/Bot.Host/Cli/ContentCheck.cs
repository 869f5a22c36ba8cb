using System.Text.Encodings.Web;
using System.Text.Json;
using Bot.Core.Knowledge;
using Bot.Host.Content;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Bot.Host.Cli;

/// <summary><c>bot content check [DIR] [--json]</c>: validates without starting the bot.</summary>
internal static class ContentCheck
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(string? directory, bool json)
    {
        var path = directory ?? BotHost.CreateBuilder(quiet: true, watchContent: false)
            .Configuration.GetSection(ContentOptions.Section).Get<ContentOptions>()?.Path ?? new ContentOptions().Path;
        var result = KnowledgeBaseLoader.LoadDirectory(path);
        if (json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                concepts = result.Concepts.Select(concept => new { id = concept.Id, title = concept.Title, aliases = concept.Aliases, questions = concept.QuestionCount }),
                errors = result.Errors.Select(error => new { path = error.Path, line = error.Line, message = error.Message }),
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
        }

        return result.IsValid ? ExitCodes.Success : ExitCodes.InvalidContent;
    }
}
