namespace Bot.Core.Commands;

/// <summary>
/// Every command learners can type, written once: its name, description, options and privacy, how
/// typed text gives its options, what <c>/help</c> says about it, and the request its options make.
/// The text parser, Discord's registration and option reading, <c>/help</c> and the tests of the
/// Slack manifests all read this list.
/// </summary>
public static class CommandCatalog
{
    public static CommandDefinition Explain { get; } = new()
    {
        Name = "explain",
        Description = "Explain a programming concept, or list them all",
        Text = TextArguments.FirstOption,
        UsageHint = "[topic] [example|pitfalls|definition|see also]",
        Options =
        [
            new("topic", "The concept, e.g. closures (typos and questions work too)", MaxLength: 200, Autocomplete: true),
            new("section", "Only one section of it", Choices:
            [
                new("Definition", "definition"), new("Example", "example"), new("Pitfalls", "pitfalls"), new("See also", "see also"),
            ]),
        ],
        Help =
        [
            "`/explain <topic>`: a concept explained, e.g. `/explain closures`. Typos and questions work too: `/explain decarators`, `/explain why are python threads slow`.",
            "`/explain <topic> example`: just one section (`example`, `pitfalls`, `definition`, `see also`).",
            "`/explain`: every concept I know, by topic.",
        ],
        AnswersFromMemory = true,
        Build = options => new ParsedRequest(new ExplainRequest(
            string.Join(' ', new[] { options.GetValueOrDefault("topic")?.Trim(), options.GetValueOrDefault("section") }.Where(part => !string.IsNullOrEmpty(part))))),
    };

    public static CommandDefinition Quiz { get; } = new()
    {
        Name = "quiz",
        Description = "A quiz question: your due reviews first, or one on a topic",
        Text = TextArguments.FirstOption,
        UsageHint = "[topic]",
        Options = [new("topic", "Stay on one concept, e.g. generators", MaxLength: 200, Autocomplete: true)],
        Help =
        [
            "`/quiz`: a question picked for you: reviews that are due, then your weakest concepts, then new ones.",
            "`/quiz <topic>`: a question on one concept, e.g. `/quiz generators`.",
        ],
        Build = options => new ParsedRequest(new QuizRequest(options.GetValueOrDefault("topic") is { Length: > 0 } topic ? topic : null)),
    };

    public static CommandDefinition Stats { get; } = new()
    {
        Name = "stats",
        Description = "Your answers, accuracy, streak and next review (only you see it)",
        IsPrivate = true,
        Help = ["`/stats`: your answers, accuracy, streak, weakest concepts and next review."],
        Build = _ => new ParsedRequest(new StatsRequest()),
    };

    public static CommandDefinition Leaderboard { get; } = new()
    {
        Name = "leaderboard",
        Description = "The best learners here, this week and all time",
        Help = ["`/leaderboard`: the best learners here, this week and all time."],
        Build = _ => new ParsedRequest(new LeaderboardRequest()),
    };

    public static CommandDefinition RegexTest { get; } = new()
    {
        Name = "regex-test",
        Aliases = ["regex"],
        Description = "Run a regular expression exactly as Python's re does, and explain it",
        Text = TextArguments.Named,
        TextUsage = "Give a pattern and a text: `/regex-test pattern: \\d+ text: call 555 1234`, or `/regex-test \\d+ call 555 1234`.",
        UsageHint = "pattern: <regex> text: <text> [flags: imsxa] [mode: findall] [repl: ...]",
        Options =
        [
            new("pattern", "The pattern, in Python's re syntax", MaxLength: 1000, Required: true),
            new("text", "The text to search", Required: true),
            new("flags", "Letters from imsxa: IGNORECASE, MULTILINE, DOTALL, VERBOSE, ASCII", MaxLength: 5),
            new("mode", "What to run (default finditer)", Choices:
            [
                new("finditer", "finditer"), new("search", "search"), new("match", "match"), new("fullmatch", "fullmatch"),
                new("findall", "findall"), new("split", "split"), new("sub", "sub"),
            ]),
            new("repl", "The replacement for sub, e.g. \\g<1>", MaxLength: 1000),
        ],
        Help =
        [
            "`/regex-test pattern: <regex> text: <text>`: run a regular expression exactly as Python's `re` does, with the matches marked and the pattern explained. Add `flags: imsxa`, `mode: findall` (or `search`, `match`, `fullmatch`, `split`, `sub` with `repl: ...`). Short form: `/regex-test <regex> <text>`.",
        ],
        Build = options => options.TryGetValue("pattern", out var pattern) && options.TryGetValue("text", out var text)
            ? new ParsedRequest(new RegexTestRequest(pattern, text, options.GetValueOrDefault("flags"), options.GetValueOrDefault("mode"), options.GetValueOrDefault("repl")))
            : new CommandUsage("Both `pattern:` and `text:` are needed, e.g. `/regex-test pattern: (\\w+)@ text: ann@example.com`."),
    };

    public static CommandDefinition Help { get; } = new()
    {
        Name = "help",
        Aliases = ["?"],
        Description = "What the tutor can do",
        Help = ["`/help`: this message."],
        AnswersFromMemory = true,
        Build = _ => new ParsedRequest(new HelpRequest()),
    };

    /// <summary>In the order <c>/help</c> lists them.</summary>
    public static IReadOnlyList<CommandDefinition> All { get; } = [Explain, Quiz, Stats, Leaderboard, RegexTest, Help];

    private static readonly Dictionary<string, CommandDefinition> ByName = All
        .SelectMany(command => command.Aliases.Prepend(command.Name).Select(name => (Name: name, Command: command)))
        .ToDictionary(entry => entry.Name, entry => entry.Command, StringComparer.OrdinalIgnoreCase);

    /// <summary>The command a name or alias stands for (any case, with or without its slash), or null.</summary>
    public static CommandDefinition? Find(string? name) => name is null ? null : ByName.GetValueOrDefault(name.TrimStart('/'));
}

/// <summary>One command of <see cref="CommandCatalog"/>.</summary>
public sealed record CommandDefinition
{
    /// <summary>What learners type after the slash; Discord's and Slack's command name.</summary>
    public required string Name { get; init; }

    /// <summary>Other names typed text may use (<c>/regex</c>, <c>/?</c>); platforms register only <see cref="Name"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>One line shown in each platform's command picker (Discord allows 100 characters).</summary>
    public required string Description { get; init; }

    /// <summary>The options, required ones first.</summary>
    public IReadOnlyList<CommandOption> Options { get; init; } = [];

    /// <summary>Whether only the caller sees the answer.</summary>
    public bool IsPrivate { get; init; }

    /// <summary>
    /// Whether it is answered from what is loaded alone: no storage, no lock, no I/O, well under a
    /// millisecond. The adapters then run it on the request's own thread; anything else starts on the
    /// thread pool, so that a slow database cannot hold the platform's answer past its deadline.
    /// </summary>
    public bool AnswersFromMemory { get; init; }

    public TextArguments Text { get; init; } = TextArguments.None;

    /// <summary>For <see cref="TextArguments.Named"/>: the usage shown when the text gives neither names nor two words.</summary>
    public string? TextUsage { get; init; }

    /// <summary>The options as a one-line hint after the name (Slack's <c>usage_hint</c>).</summary>
    public string? UsageHint { get; init; }

    /// <summary>The lines <c>/help</c> gives this command, in Markdown.</summary>
    public required IReadOnlyList<string> Help { get; init; }

    /// <summary>The request the options given (by name; absent when not given) stand for, or how to fix them.</summary>
    public required Func<IReadOnlyDictionary<string, string>, ParsedCommand> Build { get; init; }
}

/// <summary>A string option of a command, typed or picked from <see cref="Choices"/>.</summary>
/// <param name="MaxLength">Our own limit on its length, if any.</param>
/// <param name="Autocomplete">Whether platforms that can should suggest values while it is typed (concept titles).</param>
public sealed record CommandOption(
    string Name,
    string Description,
    int? MaxLength = null,
    bool Required = false,
    bool Autocomplete = false,
    IReadOnlyList<CommandChoice>? Choices = null);

/// <summary>A fixed value of an option: <paramref name="Name"/> is shown, <paramref name="Value"/> is sent.</summary>
public sealed record CommandChoice(string Name, string Value);

/// <summary>How the text after a typed command's name (the terminal, Slack) gives its options.</summary>
public enum TextArguments
{
    /// <summary>The command takes none; text after its name is ignored (<c>/stats</c>).</summary>
    None,

    /// <summary>All of the text is the first option (<c>/quiz generators</c>).</summary>
    FirstOption,

    /// <summary>
    /// <c>name: value</c> for each option, the value running to the next name or the end; or, without
    /// names, the short form: the first word is the first option and the rest the second.
    /// </summary>
    Named,
}
