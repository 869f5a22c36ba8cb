using System.Text.RegularExpressions;

namespace Bot.Core.Commands;

/// <summary>
/// Parses a command typed as text (<c>/regex-test pattern: a+ text: aaa</c>), the way the terminal and
/// Slack's slash commands deliver it: a command name and the rest of the line.
/// </summary>
public static partial class CommandText
{
    private static readonly string[] RegexKeys = ["pattern", "text", "flags", "mode", "repl"];

    /// <summary>Parses a whole line such as <c>/quiz generators</c>; a line without a leading slash is an <c>/explain</c> query.</summary>
    public static ParsedCommand ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.Trim();
        if (!text.StartsWith('/'))
        {
            // A bare topic is the most common thing people type; treat it as /explain.
            return new ParsedRequest(new ExplainRequest(text));
        }

        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return Parse(space < 0 ? text[1..] : text[1..space], space < 0 ? "" : text[(space + 1)..]);
    }

    /// <summary>Parses command <paramref name="name"/> (with or without its slash) and its argument text.</summary>
    public static ParsedCommand Parse(string name, string argument)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(argument);
        argument = argument.Trim();
        return name.TrimStart('/').ToLowerInvariant() switch
        {
            "explain" => new ParsedRequest(new ExplainRequest(argument)),
            "help" or "?" => new ParsedRequest(new HelpRequest()),
            "quiz" => new ParsedRequest(new QuizRequest(argument.Length == 0 ? null : argument)),
            "stats" => new ParsedRequest(new StatsRequest()),
            "leaderboard" => new ParsedRequest(new LeaderboardRequest()),
            "regex-test" or "regex" => RegexTest(argument),
            var unknown => new UnknownCommand(unknown),
        };
    }

    /// <summary>
    /// <c>pattern: P text: T [flags: F] [mode: M] [repl: R]</c>, the options a Discord or Slack user fills in,
    /// or the short form <c>P T</c> (the pattern is the first word). The text runs to the next key or the end.
    /// </summary>
    private static ParsedCommand RegexTest(string argument)
    {
        var keys = RegexKey().Matches(argument).Where(match => RegexKeys.Contains(match.Groups["key"].Value.ToLowerInvariant())).ToList();
        if (keys.Count == 0)
        {
            var space = argument.IndexOfAny([' ', '\t']);
            return space < 0
                ? new CommandUsage("Give a pattern and a text: `/regex-test pattern: \\d+ text: call 555 1234`, or `/regex-test \\d+ call 555 1234`.")
                : new ParsedRequest(new RegexTestRequest(argument[..space], argument[(space + 1)..]));
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < keys.Count; index++)
        {
            var key = keys[index].Groups["key"].Value.ToLowerInvariant();
            var start = keys[index].Index + keys[index].Length;
            var end = index + 1 < keys.Count ? keys[index + 1].Index : argument.Length;
            if (!values.TryAdd(key, argument[start..end].Trim(' ')))
            {
                return new CommandUsage($"`{key}:` is given twice; give each option once.");
            }
        }

        if (!values.TryGetValue("pattern", out var pattern) || !values.TryGetValue("text", out var text))
        {
            return new CommandUsage("Both `pattern:` and `text:` are needed, e.g. `/regex-test pattern: (\\w+)@ text: ann@example.com`.");
        }

        return new ParsedRequest(new RegexTestRequest(pattern, text, values.GetValueOrDefault("flags"), values.GetValueOrDefault("mode"), values.GetValueOrDefault("repl")));
    }

    [GeneratedRegex(@"(?:^|(?<=\s))(?<key>[A-Za-z]+):(?:[ ]|$)")]
    private static partial Regex RegexKey();
}

/// <summary>The result of parsing a typed command.</summary>
public abstract record ParsedCommand;

public sealed record ParsedRequest(BotRequest Request) : ParsedCommand;

/// <summary>The command exists but its arguments are wrong; <see cref="Message"/> says how to fix them.</summary>
public sealed record CommandUsage(string Message) : ParsedCommand;

public sealed record UnknownCommand(string Name) : ParsedCommand;
