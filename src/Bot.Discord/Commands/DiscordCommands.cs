using System.Text.Json.Serialization;

namespace Bot.Discord.Commands;

/// <summary>The slash commands the bot registers, with their options; names are the contract with Discord.</summary>
public static class DiscordCommands
{
    public const string Explain = "explain";
    public const string Quiz = "quiz";
    public const string RegexTest = "regex-test";
    public const string Stats = "stats";
    public const string Leaderboard = "leaderboard";
    public const string Help = "help";

    public const string TopicOption = "topic";
    public const string SectionOption = "section";
    public const string PatternOption = "pattern";
    public const string TextOption = "text";
    public const string FlagsOption = "flags";
    public const string ModeOption = "mode";
    public const string ReplacementOption = "repl";

    private const int StringType = 3;

    /// <summary>Discord caps string options at 6000 characters; our own regex limits are checked by Core.</summary>
    private const int MaxStringOption = 6000;

    public static IReadOnlyList<ApplicationCommand> All { get; } =
    [
        new(Explain, "Explain a programming concept, or list them all",
        [
            new(StringType, TopicOption, "The concept, e.g. closures (typos and questions work too)", Autocomplete: true, MaxLength: 200),
            new(StringType, SectionOption, "Only one section of it", Choices:
            [
                new("Definition", "definition"), new("Example", "example"), new("Pitfalls", "pitfalls"), new("See also", "see also"),
            ]),
        ]),
        new(Quiz, "A quiz question: your due reviews first, or one on a topic",
        [
            new(StringType, TopicOption, "Stay on one concept, e.g. generators", Autocomplete: true, MaxLength: 200),
        ]),
        new(RegexTest, "Run a regular expression exactly as Python's re does, and explain it",
        [
            new(StringType, PatternOption, "The pattern, in Python's re syntax", Required: true, MaxLength: 1000),
            new(StringType, TextOption, "The text to search", Required: true, MaxLength: MaxStringOption),
            new(StringType, FlagsOption, "Letters from imsxa: IGNORECASE, MULTILINE, DOTALL, VERBOSE, ASCII", MaxLength: 5),
            new(StringType, ModeOption, "What to run (default finditer)", Choices:
            [
                new("finditer", "finditer"), new("search", "search"), new("match", "match"), new("fullmatch", "fullmatch"),
                new("findall", "findall"), new("split", "split"), new("sub", "sub"),
            ]),
            new(StringType, ReplacementOption, "The replacement for sub, e.g. \\g<1>", MaxLength: 1000),
        ]),
        new(Stats, "Your answers, accuracy, streak and next review (only you see it)"),
        new(Leaderboard, "The best learners in this server, this week and all time"),
        new(Help, "What the tutor can do"),
    ];

    /// <summary>View Channel, Send Messages, Embed Links and Read Message History: what posting and finding daily quizzes needs.</summary>
    public const long RequiredPermissions = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 16);

    /// <summary>The URL that adds the bot to a server with its scopes and permissions.</summary>
    public static Uri InviteUrl(string applicationId) =>
        new($"https://discord.com/oauth2/authorize?client_id={Uri.EscapeDataString(applicationId)}&scope=bot%20applications.commands&permissions={RequiredPermissions}");
}

/// <summary>A CHAT_INPUT (slash) command as the bulk-overwrite endpoint takes it.</summary>
public sealed record ApplicationCommand(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("options")] IReadOnlyList<CommandOption>? Options = null)
{
    [JsonPropertyName("type")]
    public int Type => 1;
}

public sealed record CommandOption(
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("required")] bool? Required = null,
    [property: JsonPropertyName("autocomplete")] bool? Autocomplete = null,
    [property: JsonPropertyName("max_length")] int? MaxLength = null,
    [property: JsonPropertyName("choices")] IReadOnlyList<CommandChoice>? Choices = null);

public sealed record CommandChoice([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("value")] string Value);
