using System.Text.RegularExpressions;
using Bot.Core;

namespace Bot.Host.Terminal;

/// <summary>One line typed into the terminal chat, parsed.</summary>
internal abstract partial record ChatInput
{
    private static readonly string[] RegexKeys = ["pattern", "text", "flags", "mode", "repl"];

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
            "regex-test" or "regex" => RegexTestInput(argument),
            "quit" or "exit" => new QuitInput(),
            _ => new UnknownCommandInput(name),
        };
    }

    /// <summary>
    /// <c>pattern: P text: T [flags: F] [mode: M] [repl: R]</c>, the options a Discord or Slack user fills in,
    /// or the short form <c>P T</c> (the pattern is the first word). The text runs to the next key or the end.
    /// </summary>
    private static ChatInput RegexTestInput(string argument)
    {
        var keys = RegexKey().Matches(argument).Where(match => RegexKeys.Contains(match.Groups["key"].Value.ToLowerInvariant())).ToList();
        if (keys.Count == 0)
        {
            var space = argument.IndexOfAny([' ', '\t']);
            return space < 0
                ? new UsageInput("Give a pattern and a text: `/regex-test pattern: \\d+ text: call 555 1234`, or `/regex-test \\d+ call 555 1234`.")
                : new RequestInput(new RegexTestRequest(argument[..space], argument[(space + 1)..]));
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < keys.Count; index++)
        {
            var key = keys[index].Groups["key"].Value.ToLowerInvariant();
            var start = keys[index].Index + keys[index].Length;
            var end = index + 1 < keys.Count ? keys[index + 1].Index : argument.Length;
            if (!values.TryAdd(key, argument[start..end].Trim(' ')))
            {
                return new UsageInput($"`{key}:` is given twice; give each option once.");
            }
        }

        if (!values.TryGetValue("pattern", out var pattern) || !values.TryGetValue("text", out var text))
        {
            return new UsageInput("Both `pattern:` and `text:` are needed, e.g. `/regex-test pattern: (\\w+)@ text: ann@example.com`.");
        }

        return new RequestInput(new RegexTestRequest(pattern, text, values.GetValueOrDefault("flags"), values.GetValueOrDefault("mode"), values.GetValueOrDefault("repl")));
    }

    [GeneratedRegex(@"(?:^|(?<=\s))(?<key>[A-Za-z]+):(?:[ ]|$)")]
    private static partial Regex RegexKey();
}

internal sealed record EmptyInput : ChatInput;

/// <summary>A command typed with the wrong arguments; <see cref="Message"/> says how to fix it.</summary>
internal sealed record UsageInput(string Message) : ChatInput;

internal sealed record QuitInput : ChatInput;

internal sealed record RequestInput(BotRequest Request) : ChatInput;

/// <summary>A number chooses one of the previous reply's actions, like pressing its button.</summary>
internal sealed record ActionNumberInput(int Number) : ChatInput;

internal sealed record UnknownCommandInput(string Name) : ChatInput;
