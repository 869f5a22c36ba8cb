using System.Diagnostics;

namespace Bot.Tests.Shared;

/// <summary>python3 as the oracle: what a script prints, given <c>stdin</c>, so a test can compare its answer with Python's own.</summary>
internal static class PythonOracle
{
    public static string Run(string script, string stdin)
    {
        var start = new ProcessStartInfo("python3", ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
