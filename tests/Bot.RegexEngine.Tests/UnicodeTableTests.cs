using System.Diagnostics;

namespace Bot.RegexEngine.Tests;

/// <summary>\d, \w, \s and case-insensitive literals over every code point, against python3's own re.</summary>
public class UnicodeTableTests
{
    private const string Dump = """
        import re, sys
        out = []
        for name, pattern in (("d", r"\d"), ("w", r"\w"), ("s", r"\s")):
            rx = re.compile(pattern)
            members = [c for c in range(0x110000) if rx.match(chr(c))]
            out.append(name + " " + " ".join(map(str, members)))
        sys.stdout.write("\n".join(out))
        """;

    [Fact]
    public async Task Categories_EveryCodePoint_MatchPython()
    {
        var start = new ProcessStartInfo("python3", ["-c", Dump]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        foreach (var line in output.Split('\n'))
        {
            var parts = line.Split(' ');
            var expected = parts.Skip(1).Select(int.Parse).ToHashSet();
            var regex = PythonRegex.Compile("\\" + parts[0]);
            var mismatches = new List<int>();
            for (var cp = 0; cp < 0x110000; cp++)
            {
                if (cp is >= 0xD800 and <= 0xDFFF)
                {
                    continue;
                }

                var matches = regex.Match(char.ConvertFromUtf32(cp)) is not null;
                if (matches != expected.Contains(cp))
                {
                    mismatches.Add(cp);
                }
            }

            Assert.True(mismatches.Count == 0, $"\\{parts[0]} differs at {string.Join(", ", mismatches.Take(20).Select(cp => $"U+{cp:X4}"))}");
        }
    }
}
