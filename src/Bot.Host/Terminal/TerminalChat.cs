using Spectre.Console;

namespace Bot.Host.Terminal;

/// <summary>
/// Reads commands from stdin until end of input or quit. At a terminal it greets and prompts;
/// piped, it only answers, one reply (or one JSON line with --json) per command.
/// </summary>
internal sealed class TerminalChat(ChatSession session, bool json)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interactive = !Console.IsInputRedirected && !json;
        var renderer = new TerminalRenderer(AnsiConsole.Console);
        if (interactive)
        {
            AnsiConsole.MarkupLine("[bold deepskyblue1]Tutor[/] ready. Try [aqua]/explain closures[/], [aqua]/help[/], or [aqua]quit[/].");
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive)
            {
                AnsiConsole.Markup("[bold]> [/]");
            }

            // Console reads ignore cancellation; waiting on the token instead lets Ctrl+C and SIGTERM
            // stop the host while a read is pending.
            var line = await Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);
            if (line is null || ChatSession.IsQuit(line))
            {
                break;
            }

            var result = await session.HandleLineAsync(line, cancellationToken);
            if (result is null)
            {
                continue;
            }

            if (json)
            {
                await Console.Out.WriteLineAsync(ChatJson.Serialize(result));
                await Console.Out.FlushAsync(cancellationToken);
            }
            else
            {
                renderer.Render(result.Reply);
            }
        }
    }
}
