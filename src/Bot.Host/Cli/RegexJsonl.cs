using System.Text;
using System.Text.Json;
using Bot.RegexEngine;

namespace Bot.Host.Cli;

/// <summary><c>bot regex-test --jsonl</c>: one JSON case per input line, one JSON answer per output line, in order.
/// A line that is not a valid case gets <c>{"inputError":"..."}</c>; it is never skipped.</summary>
internal static class RegexJsonl
{
    // Deep but legitimate backtracking (e.g. (a|b)* over a long text) recurses; a big stack keeps it from
    // being cut off early, and the matcher still stops cleanly before the stack runs out.
    private const int MatcherStackBytes = 256 * 1024 * 1024;
    private const int CacheCapacity = 256;

    private static readonly string[] Modes = ["finditer", "search", "match", "fullmatch", "findall", "split", "sub"];

    public static int Run(TextReader input, TextWriter output)
    {
        var exitCode = 0;
        var worker = new Thread(() => exitCode = RunLoop(input, output), MatcherStackBytes) { Name = "regex-test" };
        worker.Start();
        worker.Join();
        return exitCode;
    }

    private static int RunLoop(TextReader input, TextWriter output)
    {
        var cache = new Dictionary<(string, RegexFlag), object>();
        while (input.ReadLine() is { } line)
        {
            output.WriteLine(Answer(line, cache));
            output.Flush();
        }

        return ExitCodes.Success;
    }

    /// <summary>The answer line for one input line (no trailing newline).</summary>
    public static string Answer(string line, Dictionary<(string, RegexFlag), object>? cache = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            try
            {
                WriteAnswer(line, writer, cache ?? []);
            }
            // Each answer is computed in full before anything is written, so the object is still empty here.
            catch (RegexCutoffException)
            {
                writer.WriteBoolean("timeout", true);
            }
            catch (InputException e)
            {
                writer.WriteString("inputError", e.Message);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class InputException(string message) : Exception(message);

    private static void WriteAnswer(string line, Utf8JsonWriter writer, Dictionary<(string, RegexFlag), object> cache)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(line);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InputException("The line is not JSON: " + e.Message);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InputException("The line must be a JSON object.");
        }

        var pattern = RequiredString(root, "pattern");
        var text = RequiredString(root, "text");
        var flagLetters = OptionalString(root, "flags") ?? "";
        var mode = OptionalString(root, "mode") ?? "finditer";
        if (!Modes.Contains(mode))
        {
            throw new InputException($"Unknown mode \"{mode}\"; use one of {string.Join(", ", Modes)}.");
        }

        if (flagLetters.Any(letter => !"imsxa".Contains(letter, StringComparison.Ordinal)))
        {
            throw new InputException($"Unknown flags \"{flagLetters}\"; use letters from imsxa.");
        }

        var replacement = OptionalString(root, "repl");
        if (mode == "sub" && replacement is null)
        {
            throw new InputException("Mode sub needs \"repl\".");
        }

        var flags = PythonRegex.ParseFlagLetters(flagLetters)!.Value;
        var compiled = CompileCached(pattern, flags, cache);
        if (compiled is PythonRegexError error)
        {
            WriteError(writer, error);
            return;
        }

        var regex = (PythonRegex)compiled;
        switch (mode)
        {
            case "search":
            case "match":
            case "fullmatch":
                var match = mode == "search" ? regex.Search(text) : mode == "match" ? regex.Match(text) : regex.FullMatch(text);
                writer.WritePropertyName("match");
                if (match is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    WriteMatch(writer, match);
                }

                break;
            case "finditer":
                var matches = regex.FindIter(text);
                writer.WriteStartArray("matches");
                foreach (var each in matches)
                {
                    WriteMatch(writer, each);
                }

                writer.WriteEndArray();
                break;
            case "findall":
                var found = regex.FindAll(text);
                writer.WriteStartArray("result");
                foreach (var item in found)
                {
                    if (regex.GroupCount <= 1)
                    {
                        writer.WriteStringValue(item[0]);
                    }
                    else
                    {
                        writer.WriteStartArray();
                        foreach (var group in item)
                        {
                            writer.WriteStringValue(group);
                        }

                        writer.WriteEndArray();
                    }
                }

                writer.WriteEndArray();
                break;
            case "split":
                var pieces = regex.Split(text);
                writer.WriteStartArray("result");
                foreach (var piece in pieces)
                {
                    writer.WriteStringValue(piece);
                }

                writer.WriteEndArray();
                break;
            default:
                string replaced;
                try
                {
                    replaced = regex.Sub(replacement!, text);
                }
                catch (PythonRegexError templateError)
                {
                    WriteError(writer, templateError);
                    return;
                }

                writer.WriteString("result", replaced);
                break;
        }
    }

    private static object CompileCached(string pattern, RegexFlag flags, Dictionary<(string, RegexFlag), object> cache)
    {
        if (cache.TryGetValue((pattern, flags), out var cached))
        {
            return cached;
        }

        object compiled;
        try
        {
            compiled = PythonRegex.Compile(pattern, flags);
        }
        catch (PythonRegexError e)
        {
            compiled = e;
        }

        if (cache.Count >= CacheCapacity)
        {
            cache.Clear();
        }

        cache[(pattern, flags)] = compiled;
        return compiled;
    }

    private static void WriteError(Utf8JsonWriter writer, PythonRegexError error)
    {
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        if (error.Position is { } position)
        {
            writer.WriteNumber("position", position);
        }
        else
        {
            writer.WriteNull("position");
        }

        writer.WriteEndObject();
    }

    private static void WriteMatch(Utf8JsonWriter writer, RegexMatch match)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("span");
        writer.WriteNumberValue(match.Span.Start);
        writer.WriteNumberValue(match.Span.End);
        writer.WriteEndArray();
        writer.WriteStartArray("groups");
        foreach (var group in match.Groups)
        {
            if (group is { } span)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(span.Start);
                writer.WriteNumberValue(span.End);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string RequiredString(JsonElement root, string name) =>
        OptionalString(root, name) ?? throw new InputException($"The case needs a string \"{name}\".");

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InputException($"\"{name}\" must be a string.");
    }
}
