using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Bot.Core;
using Bot.Core.Commands;
using Bot.Core.Explain;
using Bot.Core.Help;
using Bot.Core.Knowledge;
using Bot.Core.Quiz;
using Bot.Core.RegexTest;
using Bot.Core.Replies;
using Bot.RegexEngine;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.Shared;

// What the in-process fuzz suites of Core, the Discord renderer and the Slack renderer share. Each project supplies
// FuzzCourse (the real course as it reads it) in this namespace.

/// <summary>Core's pipeline as the host builds it, with the real course, an in-memory quiz store and a recording logger.</summary>
internal sealed class FuzzCore : IAsyncDisposable
{
    private readonly RegexTestHandler _regex;
    private readonly RecordingLoggers _logs;

    private FuzzCore(CommandPipeline pipeline, RegexTestHandler regex, RecordingLoggers logs)
    {
        Pipeline = pipeline;
        _regex = regex;
        _logs = logs;
    }

    public CommandPipeline Pipeline { get; }

    public IReadOnlyList<string> Errors => _logs.Errors;

    /// <summary>When set, every reply checked is added here with its case, for the renderers' fuzz.</summary>
    public List<(string Case, Reply Reply)>? Collected { get; set; }

    /// <summary>What a transport does to typed text before Core sees it (e.g. <see cref="TransportText.WellFormed"/>); null: nothing.</summary>
    public Func<string, string>? Transport { get; set; }

    /// <summary>Learners on every platform, some with names built to ping or break a leaderboard.</summary>
    public IReadOnlyList<Caller> Callers { get; } =
    [
        new(Platform.Terminal, "local", "terminal", "local-user"),
        new(Platform.Discord, "1000000000000000001", "1000000000000000002", "900000000000000001", "student1"),
        new(Platform.Discord, "1000000000000000001", "1000000000000000002", "900000000000000002", "@everyone <@&1> ||x||"),
        new(Platform.Discord, "dm", "", "900000000000000003", null),
        new(Platform.Slack, "T0FAKE001", "C0GENERAL1", "U0STUDENT1", "<!channel> <@U0STUDENT2> & *bold*"),
        new(Platform.Slack, "T0FAKE001", "C0GENERAL1", "U0STUDENT2", new string('n', 500) + "\u202E"),
        new(Platform.Slack, "T0FAKE001", "", "U0STUDENT3", "😀👨‍👩‍👧\u0000\u001b[31m"),
    ];

    public static FuzzCore Create()
    {
        var logs = new RecordingLoggers();
        var knowledge = FuzzCourse.Source;
        var store = new InMemoryQuizStore();
        var time = TimeProvider.System;
        var regex = new RegexTestHandler(new RegexTestLimits());
        var dispatcher = new CommandDispatcher(
        [
            new ExplainHandler(knowledge, new CountedLookups(), time, logs.For<ExplainHandler>()),
            new HelpHandler(knowledge),
            new QuizHandler(knowledge, store, time),
            new StatsHandler(knowledge, store, time),
            regex,
        ]);
        var pipeline = new CommandPipeline(dispatcher, new BotMetrics(new PlainMeterFactory()), logs.For<CommandPipeline>());
        return new FuzzCore(pipeline, regex, logs);
    }

    /// <summary>
    /// Parses and runs <paramref name="line"/>, then presses one of the reply's buttons or menu options, or a
    /// random or corrupted action id; returns how many replies were checked. Problems go to <paramref name="failures"/>.
    /// </summary>
    public async Task<int> RunLineAsync(string label, string line, Caller caller, Random random, List<string> failures)
    {
        line = Transport?.Invoke(line) ?? line;
        var errorsBefore = Errors.Count;
        var where = $"{label} ({caller.Platform}): {FuzzText.Show(line)}";
        CommandResult result;
        try
        {
            // Slack hands over the name and the rest apart; the terminal the whole line.
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var parsed = caller.Platform == Platform.Slack && line.StartsWith('/')
                ? CommandText.Parse(space < 0 ? line : line[..space], space < 0 ? "" : line[(space + 1)..])
                : CommandText.ParseLine(line);
            result = await Pipeline.RunAsync(parsed, caller, CancellationToken.None);
        }
        catch (Exception exception)
        {
            failures.Add($"{where}: {exception}");
            return 0;
        }

        failures.AddRange(Problems(result).Select(problem => $"{where}: {problem}"));
        Collected?.Add((where, result.Reply));
        var pressed = 0;
        if (PressSomething(result.Reply, random) is { } pressedId)
        {
            var actionId = Transport?.Invoke(pressedId) ?? pressedId;
            var pressedWhere = $"{where} then pressing {FuzzText.Show(actionId)}";
            try
            {
                var answer = await Pipeline.RunActionAsync(actionId, caller, CancellationToken.None);
                failures.AddRange(Problems(answer).Select(problem => $"{pressedWhere}: {problem}"));
                Collected?.Add((pressedWhere, answer.Reply));
                pressed = 1;
            }
            catch (Exception exception)
            {
                failures.Add($"{pressedWhere}: {exception}");
            }
        }

        if (Errors.Count > errorsBefore)
        {
            failures.Add($"{where}: logged {string.Join(" | ", Errors.Skip(errorsBefore))}");
        }

        return 1 + pressed;
    }

    /// <summary>What is wrong with a result: a caught failure, or an empty reply.</summary>
    public static IEnumerable<string> Problems(CommandResult result)
    {
        if (result.Outcome is CommandFailed)
        {
            yield return "the pipeline caught a failure (see the logged error)";
        }

        var reply = result.Reply;
        if (string.IsNullOrWhiteSpace(reply.Title))
        {
            yield return "a reply without a title";
        }

        if (string.IsNullOrWhiteSpace(reply.Body) && string.IsNullOrWhiteSpace(reply.Summary) && reply.Fields.Count == 0 && reply.Actions.Count == 0 && reply.Menu is null)
        {
            yield return $"an empty reply '{reply.Title}'";
        }

        if (reply.Actions.Any(action => string.IsNullOrEmpty(action.Id) || string.IsNullOrWhiteSpace(action.Label)))
        {
            yield return "a button without an id or a label";
        }
    }

    /// <summary>One of the reply's actions or menu options, half the time; sometimes a random or corrupted id.</summary>
    private static string? PressSomething(Reply reply, Random random)
    {
        var ids = reply.Actions.Select(action => action.Id)
            .Concat(reply.Menu?.Groups.SelectMany(group => group.Options).Select(option => option.ActionId) ?? [])
            .ToList();
        return random.Next(10) switch
        {
            < 5 when ids.Count > 0 => ids[random.Next(ids.Count)],
            5 or 6 => FuzzText.ActionId(random, ids),
            _ => null,
        };
    }

    public ValueTask DisposeAsync()
    {
        _regex.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>What the transports do to typed text before Core sees it: lone surrogates become U+FFFD.</summary>
internal static class TransportText
{
    public static RegexTestRequest WellFormed(RegexTestRequest request) => request with
    {
        Pattern = WellFormed(request.Pattern),
        Text = WellFormed(request.Text),
        Replacement = request.Replacement is null ? null : WellFormed(request.Replacement),
    };

    /// <summary>Lone surrogates replaced by U+FFFD, as UTF-8 decoding (HTTP, the terminal) and Discord's option reader do.</summary>
    public static string WellFormed(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (char.IsHighSurrogate(character) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
            {
                builder.Append(character).Append(text[++index]);
            }
            else
            {
                builder.Append(char.IsSurrogate(character) ? '\uFFFD' : character);
            }
        }

        return builder.ToString();
    }
}

/// <summary>Seeded text of every shape a learner (or an attacker) can type, and command lines made of it.</summary>
internal static class FuzzText
{
    /// <summary>Text that has broken bots before, each on its own.</summary>
    public static readonly string[] HandMade =
    [
        "", " ", "   ", "\t", "\n", "\r\n", "\u00A0", "\u2028\u2029", "\u200B\u200C\u200D", "\uFEFF", "\u3000",
        "\u0000", "\u0007\u0008", "\u001b[31mred\u001b[0m", "\u007F", "\u0085", "a\u0000b",
        "\uD800", "\uDFFF", "x\uD800y", "\uDC00\uD800", "\uDBFF\uDBFF", "closures\uD800",
        "😀", "👨‍👩‍👧‍👦", "🇫🇷🇩🇪", "👍🏽", "🐍🐍🐍", "e\u0301", "Z\u0334\u0321\u0322\u031B\u0316\u0317\u0318\u0319", "中文 日本語 한국어",
        "שלום עולם", "مرحبا بالعالم", "\u202Etxet desrever\u202C", "\u2066isolate\u2069", "closures \u202E",
        "@everyone", "@here", "<@123456789012345678>", "<@!1>", "<@&1>", "<#1>", "<!channel>", "<!here>", "<!everyone>",
        "<!subteam^S0001>", "<@U0STUDENT1>", "<#C0GENERAL1|general>", "<https://evil.example|click me>", "<mailto:a@b|x>",
        "```", "```python\nprint(1)", "**", "__", "~~", "||spoiler||", "`", "> quote", "# heading", "- item", "1. item",
        "| a | b |\n|---|---|\n| 1 | 2 |", "[link](javascript:alert(1))", "![img](x)", "\\", "&amp;", "&lt;&gt;", "<b>bold</b>", "<script>alert(1)</script>",
        "(", ")", "[", "]", "{", "}", "*", "+", "?", ".", "^", "$", "|", "\\d+", "(?P<n>x)", "(?<=a)b", "\\g<0>", "\\1", "(a+)+$", "[^\\W\\d_]",
        "pattern:", "text:", "mode:", "flags:", "repl:", "pattern: text:", "pattern: a text: b pattern: c",
        "%s%s%s", "{0}", "{{}}", "$(rm -rf /)", "'; DROP TABLE answers;--", "../../etc/passwd", "null", "NaN", "-1", "9223372036854775807", "1e308",
        "closures", "Closures", "CLOSURES", "closure", "clsoures", "decarators", "why are python threads slow", "generators example", "gil pitfalls",
        "list comprehensions see also", "generator expressions definition", "explain", "quiz", "help", "?",
        new string('a', 5_000), new string('x', 20_000), string.Concat(Enumerable.Repeat("closures ", 3_000)),
        string.Concat(Enumerable.Repeat("😀", 5_000)), string.Concat(Enumerable.Repeat("@everyone ", 1_000)), string.Concat(Enumerable.Repeat("<!channel>", 1_000)),
        new string('\n', 2_000), new string(' ', 10_000) + "closures",
    ];

    /// <summary>Whole lines built to hit each command's edges.</summary>
    public static readonly string[] HandMadeLines =
    [
        "/", "//", "/ ", "/explain", "/explain ", "/EXPLAIN closures", "/explain @everyone", "/explain <!channel>", "/explain \uD800",
        "/quiz", "/quiz ", "/quiz @everyone", "/quiz <!here>", "/quiz closures", "/quiz " + new string('q', 10_000), "/quiz \u0000",
        "/help", "/help me", "/?", "/stats", "/stats now", "/leaderboard", "/LEADERBOARD", "/regex", "/regex-test", "/regex-test a",
        "/regex-test pattern:", "/regex-test pattern: text:", "/regex-test text: x pattern: (", "/regex-test pattern: a text: b mode: sub",
        "/regex-test pattern: a text: b mode: findall repl: x", "/regex-test pattern: a text: b flags: Q", "/regex-test pattern: a text: b mode: nope",
        "/regex-test pattern: (?P<n>a)(?P=n) text: aa mode: sub repl: \\g<n>\\g<0>\\g<99>", "/regex-test pattern: " + new string('a', 1_001) + " text: a",
        "/regex-test pattern: a text: " + new string('a', 10_001), "/regex-test pattern: (a*)*b text: " + new string('a', 5_000),
        "/regex-test pattern: (x+x+)+y text: " + new string('x', 3_000), "/regex-test pattern: @everyone text: @everyone <@1> <!channel>",
        "/regex-test pattern: ``` text: ```python\nprint(1)\n``` mode: findall", "/regex-test \\bcat cat concat",
        "/regex-test pattern: . text: 😀👨‍👩‍👧🇫🇷 mode: findall", "/regex-test pattern: \\N{SNAKE} text: 🐍", "/regex-test pattern: (?x) a b # c text: ab",
        "/regex-test pattern: a{99999999999} text: a",
        "/regex-test pattern: (?<=a|bc)d text: bcd", "/regex-test pattern: (a)|b text: b mode: sub repl: [\\1]",
        "/frobnicate", "/" + new string('z', 5_000), "/explain\u0000closures", "/\uD800", "/😀", "/@everyone", "/<!channel>",
    ];

    private static readonly string[] Atoms = [.. HandMade.Where(text => text.Length < 200)];

    private static readonly string[] Commands = ["explain", "quiz", "regex-test", "regex", "help", "?", "stats", "leaderboard", "Explain", "QUIZ", "regex_test", "explain2", "", "/"];

    private static readonly string[] Modes = ["finditer", "search", "match", "fullmatch", "findall", "split", "sub", "FINDALL", " sub ", "", "nope", "sub\u0000"];

    private static readonly string[] PatternAtoms =
    [
        "a", "b", "x", "ab", "😀", "é", ".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "\\A", "\\Z", "^", "$", "\\n", "\\t", "\\x41", "\\u00e9",
        "\\U0001F600", "\\N{SNAKE}", "\\N{NOPE}", "\\0", "\\1", "\\2", "\\99", "\\q", "\\", "[abc]", "[^a-z]", "[a-]", "[]a]", "[\\d\\s]", "[z-a]", "[", "]",
        "(", ")", "(?:", "(?P<g>", "(?P=g)", "(?P<1bad>", "(?=", "(?!", "(?<=", "(?<!", "(?i)", "(?x)", "(?s:", "(?#c)", "(?(1)a|b)", "|", "*", "+", "?",
        "*?", "+?", "??", "*+", "{2}", "{1,3}", "{,2}", "{3,1}", "{99999}", "{", "}", "#", " ", "\\\\", "@everyone", "<!channel>", "```",
    ];

    private static readonly string[] Replacements = ["", "x", "\\1", "\\g<0>", "\\g<g>", "\\g<99>", "\\", "[\\1]", "\\n", "@everyone <!channel>", "\\g<", "&amp;", "```"];

    /// <summary>A random command line: a command (or none, which means /explain) and hostile arguments.</summary>
    public static string Line(Random random)
    {
        var command = Commands[random.Next(Commands.Length)];
        var slash = random.Next(10) switch
        {
            0 => "",
            1 => "//",
            _ => "/",
        };
        var argument = command is "regex-test" or "regex" && random.Next(3) > 0 ? RegexArgument(random) : Text(random);
        return random.Next(8) switch
        {
            0 => Text(random),
            1 => slash + command,
            _ => slash + command + (random.Next(6) == 0 ? "\t" : " ") + argument,
        };
    }

    /// <summary>Random hostile text: an atom, a mix of atoms, a real concept name with typos, random code points, or something huge.</summary>
    public static string Text(Random random)
    {
        switch (random.Next(20))
        {
            case 0 or 1:
                return HandMade[random.Next(HandMade.Length)];
            case 2 or 3 or 4:
                return Typo(random, ConceptWords[random.Next(ConceptWords.Length)]);
            case 5:
                return RandomCodePoints(random, random.Next(1, 60));
            case 6:
                return Atoms[random.Next(Atoms.Length)] + new string((char)random.Next('a', 'z' + 1), random.Next(100, 4_000));
            case 7:
                return string.Concat(Enumerable.Repeat(Atoms[random.Next(Atoms.Length)] + " ", random.Next(500, 3_000)));
            case 8:
                return ConceptWords[random.Next(ConceptWords.Length)] + " " + SectionWords[random.Next(SectionWords.Length)];
            default:
                var text = new StringBuilder();
                for (var count = random.Next(1, 8); count > 0; count--)
                {
                    text.Append(random.Next(4) == 0 ? ConceptWords[random.Next(ConceptWords.Length)] : Atoms[random.Next(Atoms.Length)]);
                    text.Append(random.Next(4) switch { 0 => "", 1 => "\n", _ => " " });
                }

                return text.ToString();
        }
    }

    /// <summary>
    /// A random /regex-test request: mostly well-formed patterns from a small grammar with a consistent mode, flags and
    /// replacement; the rest chaotic (broken syntax, unknown modes and flags, a replacement without sub); a few beyond the limits.
    /// </summary>
    public static RegexTestRequest RegexRequest(Random random)
    {
        if (random.Next(250) == 0)
        {
            // Catastrophic backtracking, which the step budget must cut off.
            var (slow, letter) = Catastrophic[random.Next(Catastrophic.Length)];
            return new RegexTestRequest(slow, new string(letter, random.Next(25, 3_000)) + "!");
        }

        var chaotic = random.Next(10) < 3;
        var mode = chaotic
            ? (random.Next(2) == 0 ? Modes[random.Next(Modes.Length)] : null)
            : (random.Next(3) == 0 ? null : Modes[random.Next(7)]);
        var replacement = chaotic
            ? (random.Next(2) == 0 ? Replacements[random.Next(Replacements.Length)] : null)
            : (mode == "sub" ? Replacements[random.Next(Replacements.Length)] : null);
        var flags = random.Next(3) > 0 ? null : chaotic
            ? new string([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => "imsxaiLuZ"[random.Next(9)])])
            : new string([.. "imsxa".Where(_ => random.Next(3) == 0)]);
        var pattern = random.Next(80) == 0 ? new string('a', PythonRegex.MaxPatternLength + 1) : chaotic ? Pattern(random) : WellFormedPattern(random, depth: 0);
        var text = random.Next(80) == 0 ? new string('a', PythonRegex.MaxTextLength + 1) : RegexText(random);
        return new RegexTestRequest(pattern, text, flags, mode, replacement);
    }

    /// <summary>A pattern from a grammar of sequences, alternations, groups of every kind, classes, escapes and quantifiers.</summary>
    public static string WellFormedPattern(Random random, int depth)
    {
        var alternatives = random.Next(6) == 0 ? random.Next(2, 4) : 1;
        return string.Join('|', Enumerable.Range(0, alternatives).Select(_ => Sequence(random, depth)));

        static string Sequence(Random random, int depth)
        {
            var sequence = new StringBuilder();
            for (var count = random.Next(depth == 0 ? 1 : 0, 5); count > 0; count--)
            {
                var item = random.Next(depth < 2 ? 12 : 9) switch
                {
                    0 or 1 or 2 => Literals[random.Next(Literals.Length)],
                    3 or 4 => Escapes[random.Next(Escapes.Length)],
                    5 or 6 => Classes[random.Next(Classes.Length)],
                    7 => Anchors[random.Next(Anchors.Length)],
                    8 => ".",
                    9 => "(" + WellFormedPattern(random, depth + 1) + ")",
                    10 => "(?:" + WellFormedPattern(random, depth + 1) + ")",
                    _ => random.Next(4) switch
                    {
                        0 => "(?P<g" + depth + ">" + WellFormedPattern(random, depth + 1) + ")",
                        1 => "(?=" + WellFormedPattern(random, depth + 1) + ")",
                        2 => "(?!" + WellFormedPattern(random, depth + 1) + ")",
                        _ => "(?<=" + Literals[random.Next(Literals.Length)] + ")",
                    },
                };
                sequence.Append(item);
                if (item is not ("^" or "$" or "\\b" or "\\B" or "\\A" or "\\Z") && !item.StartsWith("(?=", StringComparison.Ordinal)
                    && !item.StartsWith("(?!", StringComparison.Ordinal) && !item.StartsWith("(?<=", StringComparison.Ordinal) && random.Next(3) == 0)
                {
                    sequence.Append(Quantifiers[random.Next(Quantifiers.Length)]);
                }
            }

            return sequence.ToString();
        }
    }

    private static readonly (string Pattern, char Letter)[] Catastrophic = [("(a+)+$", 'a'), ("(a|aa)*c", 'a'), ("(x+x+)+y", 'x'), (@"(\w+\s?)*$", 'w'), ("(a*)*b", 'a'), ("(?:a|a)*$", 'a')];

    private static readonly string[] Literals = ["a", "b", "ab", "x", "cat", "@", "😀", "é", " ", "\\.", "\\*", "\\(", "-", "_", "0", "中", "<", "!"];

    private static readonly string[] Escapes = ["\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\n", "\\t", "\\x41", "\\u00e9", "\\U0001F600", "\\N{SNAKE}", "\\b", "\\B"];

    private static readonly string[] Classes = ["[abc]", "[^a-z]", "[a-]", "[]a]", "[\\d\\s]", "[^\\W\\d_]", "[.*+?]", "[😀-😂]", "[\\u00e0-\\u00ff]"];

    private static readonly string[] Anchors = ["^", "$", "\\A", "\\Z", "\\b", "\\B"];

    private static readonly string[] Quantifiers = ["*", "+", "?", "*?", "+?", "??", "{2}", "{1,3}", "{,2}", "{2,}", "*+", "++", "{1,3}?"];

    /// <summary>A chaotic pattern of regex atoms in any order; many do not compile, on purpose.</summary>
    public static string Pattern(Random random)
    {
        var pattern = new StringBuilder();
        for (var count = random.Next(1, 10); count > 0; count--)
        {
            pattern.Append(PatternAtoms[random.Next(PatternAtoms.Length)]);
        }

        return pattern.ToString();
    }

    /// <summary>A short text to match against: words, digits, emoji, mentions, newlines; sometimes up to a few thousand characters.</summary>
    public static string RegexText(Random random)
    {
        var pieces = new[] { "a", "ab", "aaa", "b", "x", "cat", "concat", "ann@ex.com", "555 1234", "\n", " ", "\t", "😀", "é", "e\u0301", "中", "@everyone", "<!channel>", "<@U1>", "```", "_", "0", "99", "\uD800" };
        var text = new StringBuilder();
        var length = random.Next(10) == 0 ? random.Next(200, 3_000) : random.Next(0, 40);
        while (text.Length < length)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }

    /// <summary>The argument of a typed /regex-test: named options in any order (some twice or missing) or the short form.</summary>
    public static string RegexArgument(Random random)
    {
        var request = RegexRequest(random);
        if (random.Next(4) == 0)
        {
            return request.Pattern + " " + request.Text;
        }

        var parts = new List<string> { "pattern: " + request.Pattern, "text: " + request.Text };
        if (request.Mode is not null)
        {
            parts.Add("mode: " + request.Mode);
        }

        if (request.Flags is not null)
        {
            parts.Add("flags: " + request.Flags);
        }

        if (request.Replacement is not null)
        {
            parts.Add("repl: " + request.Replacement);
        }

        if (random.Next(10) == 0)
        {
            parts.RemoveAt(random.Next(parts.Count));
        }

        if (random.Next(10) == 0)
        {
            parts.Add(parts[random.Next(parts.Count)]);
        }

        return string.Join(' ', parts.OrderBy(_ => random.Next()));
    }

    /// <summary>A random action id: a near miss of a real one, a huge number, or garbage.</summary>
    public static string ActionId(Random random, IReadOnlyList<string> real)
    {
        var ids = new[]
        {
            "explain:", "explain:" + Text(random), "quiz:next", "quiz:topic:", "quiz:topic:" + Text(random), "quiz:answer:", "quiz:answer:1:0",
            "quiz:answer:-1:0", "quiz:answer:1:-1", "quiz:answer:9223372036854775807:0", "quiz:answer:99999999999999999999:0", "quiz:answer:1:2147483647",
            "quiz:answer:1:99999999999", "quiz:answer:1", "quiz:answer:1:0:0", "quiz:answer: 1:0", "quiz:answer:1:0\u0000", "quiz:answer:١:٠",
            "", " ", Text(random), "menu:0", "explain:closures\uD800",
        };
        if (real.Count > 0 && random.Next(3) == 0)
        {
            var id = real[random.Next(real.Count)];
            return random.Next(3) switch
            {
                0 => id + "0",
                1 => id.Length > 1 ? id[..^1] : id,
                _ => id.ToUpperInvariant(),
            };
        }

        return ids[random.Next(ids.Length)];
    }

    /// <summary>A case as a C# string literal, clipped, so that control characters and lone surrogates can be seen and replayed.</summary>
    public static string Show(string text)
    {
        var shown = new StringBuilder("\"");
        foreach (var character in text.Length > 160 ? text[..160] : text)
        {
            shown.Append(character switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when char.IsControl(character) || char.IsSurrogate(character) || character > '\u007E' => $"\\u{(int)character:X4}",
                _ => character.ToString(),
            });
        }

        shown.Append('"');
        return text.Length > 160 ? $"{shown}… ({text.Length.ToString(CultureInfo.InvariantCulture)} chars)" : shown.ToString();
    }

    private static readonly string[] SectionWords = ["example", "examples", "code", "pitfalls", "gotcha", "definition", "see also", "related", "meaning"];

    private static readonly string[] ConceptWords = [.. FuzzCourse.KnowledgeBase.Concepts.SelectMany(concept => new[] { concept.Id, concept.Title }.Concat(concept.Aliases))];

    private static string Typo(Random random, string word)
    {
        if (word.Length < 2)
        {
            return word;
        }

        var characters = word.ToCharArray().ToList();
        var position = random.Next(characters.Count - 1);
        switch (random.Next(5))
        {
            case 0:
                (characters[position], characters[position + 1]) = (characters[position + 1], characters[position]);
                break;
            case 1:
                characters.RemoveAt(position);
                break;
            case 2:
                characters.Insert(position, (char)random.Next('a', 'z' + 1));
                break;
            case 3:
                characters[position] = char.ToUpperInvariant(characters[position]);
                break;
        }

        return new string([.. characters]);
    }

    private static string RandomCodePoints(Random random, int count)
    {
        var text = new StringBuilder();
        for (var index = 0; index < count; index++)
        {
            switch (random.Next(4))
            {
                case 0:
                    text.Append((char)random.Next(0, 0x80));
                    break;
                case 1:
                    // Any UTF-16 unit, lone surrogates included.
                    text.Append((char)random.Next(0, 0x10000));
                    break;
                case 2:
                    text.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1FAFF)));
                    break;
                default:
                    text.Append((char)random.Next(0x0590, 0x0700));
                    break;
            }
        }

        return text.ToString();
    }
}

/// <summary>Quiz state in memory, with the semantics of the host's SQLite store: the first answer counts and moves the review card.</summary>
internal sealed class InMemoryQuizStore : IQuizStore
{
    private readonly Lock _gate = new();
    private readonly List<QuizInstance> _instances = [];
    private readonly List<(long Instance, Learner Learner, string QuestionId, string ConceptId, int Choice, bool Correct, DateTimeOffset At)> _answers = [];
    private readonly Dictionary<(Learner Learner, string QuestionId), ReviewCard> _cards = [];
    private readonly Dictionary<Learner, string> _names = [];

    public Task<QuizInstance> CreateInstanceAsync(NewQuizInstance instance, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var created = new QuizInstance(_instances.Count + 1, instance.Kind, instance.Question.Id, instance.Question.ConceptId, instance.Question.CorrectIndex,
                instance.Question.Choices.Count, instance.Platform, instance.Workspace, instance.Channel, instance.Owner, instance.Topic, instance.CreatedAt, instance.RevealAt);
            _instances.Add(created);
            return Task.FromResult(created);
        }
    }

    public Task<QuizInstance?> FindInstanceAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(id >= 1 && id <= _instances.Count ? _instances[(int)(id - 1)] : null);
        }
    }

    public Task<AnswerRecord> RecordAnswerAsync(QuizInstance instance, Learner learner, string displayName, int choice, DateTimeOffset answeredAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _names[learner] = displayName;
            var first = _answers.FirstOrDefault(answer => answer.Instance == instance.Id && answer.Learner == learner);
            if (first.Learner is not null)
            {
                return Task.FromResult(new AnswerRecord(first.Choice, first.Correct, first.At, IsNew: false));
            }

            var correct = choice == instance.CorrectIndex;
            _answers.Add((instance.Id, learner, instance.QuestionId, instance.ConceptId, choice, correct, answeredAt));
            _cards[(learner, instance.QuestionId)] = SpacedRepetition.Next(_cards.GetValueOrDefault((learner, instance.QuestionId)), instance.QuestionId, instance.ConceptId, correct, answeredAt);
            return Task.FromResult(new AnswerRecord(choice, correct, answeredAt, IsNew: true));
        }
    }

    public Task<IReadOnlyList<ReviewCard>> GetReviewCardsAsync(Learner learner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReviewCard>>([.. _cards.Where(card => card.Key.Learner == learner).Select(card => card.Value)]);
        }
    }

    public async Task<LearnerHistory> GetHistoryAsync(Learner learner, CancellationToken cancellationToken)
    {
        var cards = await GetReviewCardsAsync(learner, cancellationToken);
        lock (_gate)
        {
            var mine = _answers.Where(answer => answer.Learner == learner).ToList();
            var concepts = mine.GroupBy(answer => answer.ConceptId).Select(group => new ConceptScore(group.Key, group.Count(), group.Count(answer => answer.Correct))).ToList();
            var days = mine.Select(answer => DateOnly.FromDateTime(answer.At.UtcDateTime)).Distinct().OrderDescending().ToList();
            return new LearnerHistory(mine.Count, mine.Count(answer => answer.Correct), concepts, days, cards);
        }
    }

    public Task<IReadOnlyList<LeaderboardEntry>> GetLeaderboardAsync(Platform platform, string workspace, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<LeaderboardEntry>>([.. _answers
                .Where(answer => answer.Learner.Platform == platform && answer.Learner.Workspace == workspace && (since is null || answer.At >= since))
                .GroupBy(answer => answer.Learner)
                .Select(group => new LeaderboardEntry(_names.GetValueOrDefault(group.Key, group.Key.User), group.Count(), group.Count(answer => answer.Correct)))
                .OrderByDescending(entry => entry.Correct).ThenBy(entry => entry.Answered)
                .Take(limit)]);
        }
    }

    public Task<AnswerTally> GetTallyAsync(QuizInstance instance, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var perChoice = new int[instance.ChoiceCount];
            foreach (var answer in _answers.Where(answer => answer.Instance == instance.Id && answer.Choice >= 0 && answer.Choice < perChoice.Length))
            {
                perChoice[answer.Choice]++;
            }

            return Task.FromResult(new AnswerTally(perChoice.Sum(), perChoice[instance.CorrectIndex], perChoice));
        }
    }
}

/// <summary>Loggers that keep every warning and error, for the "no error log" checks and the failure message.</summary>
internal sealed class RecordingLoggers
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public ILogger<T> For<T>() => new Logger<T>(this);

    private sealed class Logger<T>(RecordingLoggers owner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error)
            {
                return;
            }

            lock (owner._errors)
            {
                owner._errors.Add($"{logLevel} {typeof(T).Name}: {formatter(state, exception)} {exception}");
            }
        }
    }
}

/// <summary>Takes the misses /explain records, as the host's queue would, checking that each query was clipped.</summary>
internal sealed class CountedLookups : IUnansweredLookups
{
    public void Record(UnansweredLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (lookup.Query.Length > UnansweredLookup.MaxQueryLength)
        {
            throw new InvalidOperationException($"an unanswered lookup of {lookup.Query.Length} characters was recorded");
        }
    }
}

/// <summary>The meters the host's factory would make, without a host.</summary>
internal sealed class PlainMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
