using Bot.Core.Commands;

namespace Bot.Host.Terminal;

/// <summary>One line typed into the terminal chat: the terminal's own inputs, or a command parsed by Core.</summary>
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

        if (text is "quit" or "exit" or "/quit" or "/exit")
        {
            return new QuitInput();
        }

        return new CommandInput(CommandText.ParseLine(text));
    }
}

internal sealed record EmptyInput : ChatInput;

internal sealed record QuitInput : ChatInput;

internal sealed record CommandInput(ParsedCommand Command) : ChatInput;

/// <summary>A number chooses one of the previous reply's actions, like pressing its button.</summary>
internal sealed record ActionNumberInput(int Number) : ChatInput;
