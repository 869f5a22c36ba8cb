using System.Text.RegularExpressions;

namespace Bot.Core.Commands;

/// <summary>
/// Parses a command typed as text (<c>/regex-test pattern: a+ text: aaa</c>), the way the terminal and
/// Slack's slash commands deliver it: a command name and the rest of the line.
/// </summary>
public static partial class CommandText
{
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
        if (CommandCatalog.Find(name) is not { } command)
        {
            return new UnknownCommand(name.TrimStart('/').ToLowerInvariant());
        }

        return command.Text switch
        {
            TextArguments.FirstOption => command.Build(new Dictionary<string, string> { [command.Options[0].Name] = argument }),
            TextArguments.Named => Named(command, argument),
            _ => command.Build(new Dictionary<string, string>()),
        };
    }

    /// <summary>
    /// <c>pattern: P text: T [flags: F]</c>, the options a Discord or Slack user fills in, or the short
    /// form <c>P T</c> (the first option is the first word). A value runs to the next name or the end.
    /// </summary>
    private static ParsedCommand Named(CommandDefinition command, string argument)
    {
        var keys = OptionName().Matches(argument)
            .Where(match => command.Options.Any(option => option.Name.Equals(match.Groups["key"].Value, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (keys.Count == 0)
        {
            var space = argument.IndexOfAny([' ', '\t']);
            return space < 0
                ? new CommandUsage(command.TextUsage ?? $"Give the options as `name: value`, e.g. `/{command.Name} {command.Options[0].Name}: ...`.")
                : command.Build(new Dictionary<string, string>
                {
                    [command.Options[0].Name] = argument[..space],
                    [command.Options[1].Name] = argument[(space + 1)..],
                });
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

        return command.Build(values);
    }

    [GeneratedRegex(@"(?:^|(?<=\s))(?<key>[A-Za-z]+):(?:[ ]|$)")]
    private static partial Regex OptionName();
}

/// <summary>The result of parsing a typed command.</summary>
public abstract record ParsedCommand;

public sealed record ParsedRequest(BotRequest Request) : ParsedCommand;

/// <summary>The command exists but its arguments are wrong; <see cref="Message"/> says how to fix them.</summary>
public sealed record CommandUsage(string Message) : ParsedCommand;

public sealed record UnknownCommand(string Name) : ParsedCommand;
