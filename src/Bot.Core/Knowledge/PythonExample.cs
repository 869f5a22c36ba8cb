using System.Globalization;
using Markdig.Syntax;

namespace Bot.Core.Knowledge;

/// <summary>A Python version as <c>major.minor</c>, the granularity at which the language changes.</summary>
public readonly record struct PythonVersion(int Major, int Minor) : IComparable<PythonVersion>
{
    public static bool operator <(PythonVersion left, PythonVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(PythonVersion left, PythonVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(PythonVersion left, PythonVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PythonVersion left, PythonVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Accepts exactly <c>major.minor</c> in ASCII digits, e.g. <c>3.13</c>.</summary>
    public static bool TryParse(string text, out PythonVersion version)
    {
        version = default;
        var parts = text.Split('.');
        if (parts.Length != 2 || !IsNumber(parts[0]) || !IsNumber(parts[1]))
        {
            return false;
        }

        version = new PythonVersion(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        return true;

        static bool IsNumber(string part) => part.Length is > 0 and <= 4 && part.All(char.IsAsciiDigit);
    }

    public int CompareTo(PythonVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public override string ToString() => $"{Major}.{Minor}";
}

/// <summary>
/// A runnable <c>```python</c> block of a concept's body, with the <c>```output</c> block right after it,
/// if any. Fence attributes: <c>no-run</c> (the block is not collected at all), <c>min=3.13</c> and
/// <c>max=3.12</c> (inclusive bounds on the interpreter version).
/// </summary>
/// <param name="Path">The concept file, as given to the loader.</param>
/// <param name="Line">1-based line of the opening fence in the file, front matter included.</param>
public sealed record PythonExample(string Path, int Line, string Code, string? ExpectedOutput, PythonVersion? MinVersion = null, PythonVersion? MaxVersion = null)
{
    /// <summary>
    /// Whether the code starts processes through <c>multiprocessing</c> or a <c>ProcessPoolExecutor</c>,
    /// so that it must be tried under every start method (examples that pick their own method are left alone).
    /// </summary>
    public bool StartsProcesses =>
        (Code.Contains("multiprocessing", StringComparison.Ordinal) || Code.Contains("ProcessPoolExecutor", StringComparison.Ordinal))
        && !Code.Contains("set_start_method", StringComparison.Ordinal);
}

/// <summary>Finds the examples of a concept file and checks the attributes of every <c>python</c> fence.</summary>
internal static class PythonFence
{
    public const string NoRun = "no-run";

    private const string Usage = "use no-run, min=3.13 or max=3.12 (versions as major.minor, both bounds inclusive)";

    /// <param name="excludedStart">Start of a range of the text (the quiz) whose blocks are not examples.</param>
    public static List<PythonExample> FindExamples(ContentFile file, MarkdownDocument document, int excludedStart, int excludedEnd, List<ContentError> errors)
    {
        var examples = new List<PythonExample>();
        var blocks = document.Descendants<FencedCodeBlock>().ToList();
        for (var index = 0; index < blocks.Count; index++)
        {
            var block = blocks[index];
            if (block.Info != "python")
            {
                continue;
            }

            var attributes = ReadAttributes(file, block, errors);
            var inExcludedRange = block.Span.Start >= excludedStart && block.Span.Start < excludedEnd;
            if (attributes is null || attributes.Value.NoRun || inExcludedRange)
            {
                continue;
            }

            var next = index + 1 < blocks.Count ? blocks[index + 1] : null;
            var output = next is { Info: "output" } && next.Parent == block.Parent && block.Parent!.IndexOf(next) == block.Parent.IndexOf(block) + 1
                ? next.Lines.ToString()
                : null;
            examples.Add(new PythonExample(file.Path, block.Line + 1, block.Lines.ToString(), output, attributes.Value.Min, attributes.Value.Max));
        }

        return examples;
    }

    private static (bool NoRun, PythonVersion? Min, PythonVersion? Max)? ReadAttributes(ContentFile file, FencedCodeBlock block, List<ContentError> errors)
    {
        var line = block.Line + 1;
        var noRun = false;
        PythonVersion? min = null;
        PythonVersion? max = null;
        var valid = true;
        foreach (var attribute in (block.Arguments ?? "").Split(' ', '\t').Where(part => part.Length > 0))
        {
            if (attribute == NoRun)
            {
                noRun = true;
                continue;
            }

            var equals = attribute.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? attribute : attribute[..equals];
            var value = equals < 0 ? "" : attribute[(equals + 1)..];
            if (name is not ("min" or "max") || equals < 0)
            {
                Fail($"unknown attribute '{attribute}' on the python fence: {Usage}");
                continue;
            }

            if (!PythonVersion.TryParse(value, out var version))
            {
                Fail($"'{attribute}' on the python fence: '{value}' is not a version; write {name}=major.minor, e.g. {name}=3.13");
                continue;
            }

            if ((name == "min" ? min : max) is not null)
            {
                Fail($"'{name}=' is given twice on the python fence: keep one");
                continue;
            }

            if (name == "min")
            {
                min = version;
            }
            else
            {
                max = version;
            }
        }

        if (min is { } low && max is { } high && low > high)
        {
            Fail($"min={low} is above max={high} on the python fence, so no Python can run it: swap them or fix one");
        }

        return valid ? (noRun, min, max) : null;

        void Fail(string message)
        {
            valid = false;
            errors.Add(new ContentError(file.Path, line, message));
        }
    }
}
