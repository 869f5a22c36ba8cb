using Bot.Core;

namespace Bot.Host.Terminal;

/// <summary>One line typed into the terminal chat, parsed.</summary>
internal abstract record ChatInput
{
    public static ChatInput Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0)
        {
            return new EmptyInput();
        }

        if (int.TryParse(text, out var number))
        {
            return new ActionNumberInput(number);
        }

        if (text is "quit" or "exit")
        {
            return new QuitInput();
        }

        if (!text.StartsWith('/'))
        {
            // A bare topic is the most common thing people type; treat it as /explain.
            return new RequestInput(new ExplainRequest(text));
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = (space < 0 ? text[1..] : text[1..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : text[(space + 1)..].Trim();
        return name switch
        {
            "explain" => new RequestInput(new ExplainRequest(argument)),
            "help" or "?" => new RequestInput(new HelpRequest()),
            "quiz" => new RequestInput(new QuizRequest(argument.Length == 0 ? null : argument)),
            "stats" => new RequestInput(new StatsRequest()),
            "leaderboard" => new RequestInput(new LeaderboardRequest()),
            "quit" or "exit" => new QuitInput(),
            _ => new UnknownCommandInput(name),
        };
    }
}

internal sealed record EmptyInput : ChatInput;

internal sealed record QuitInput : ChatInput;

internal sealed record RequestInput(BotRequest Request) : ChatInput;

/// <summary>A number chooses one of the previous reply's actions, like pressing its button.</summary>
internal sealed record ActionNumberInput(int Number) : ChatInput;

internal sealed record UnknownCommandInput(string Name) : ChatInput;
