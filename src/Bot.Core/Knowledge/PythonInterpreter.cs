using System.ComponentModel;
using System.Diagnostics;

namespace Bot.Core.Knowledge;

/// <summary>The Python that runs the examples: how to start it, its version and its multiprocessing start methods.</summary>
/// <param name="Command">A name looked up on PATH (<c>python3</c>) or a path to the executable.</param>
/// <param name="StartMethods">From <c>multiprocessing.get_all_start_methods()</c>, e.g. fork, spawn, forkserver on Linux.</param>
public sealed record PythonInterpreter(string Command, PythonVersion Version, IReadOnlyList<string> StartMethods)
{
    public const string DefaultCommand = "python3";

    private const string Probe =
        "import sys, multiprocessing; print('%d.%d' % sys.version_info[:2]); print(' '.join(multiprocessing.get_all_start_methods()))";

    /// <summary>Asks the interpreter once for its version and start methods.</summary>
    /// <exception cref="PythonInterpreterException">It cannot be started, fails, or answers something unexpected.</exception>
    public static async Task<PythonInterpreter> DetectAsync(string command, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command, ["-c", Probe])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new PythonInterpreterException($"{command} could not be started");
        }
        catch (Win32Exception exception)
        {
            throw new PythonInterpreterException($"{command} could not be started: it was not found or is not executable", exception);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var lines = (await stdout).Split('\n', StringSplitOptions.TrimEntries);
            if (process.ExitCode != 0 || lines.Length < 2 || !PythonVersion.TryParse(lines[0], out var version))
            {
                var reason = (await stderr).Trim();
                throw new PythonInterpreterException(
                    $"{command} is not a working Python 3 (exit code {process.ExitCode}{(reason.Length > 0 ? ": " + reason : "")})");
            }

            return new PythonInterpreter(command, version, lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>Why this interpreter must skip the example (its version is outside the example's range), or null to run it.</summary>
    public string? SkipNote(PythonExample example) => example switch
    {
        { MinVersion: { } min } when Version < min => $"needs Python ≥ {min}; {Command} is {Version}",
        { MaxVersion: { } max } when Version > max => $"needs Python ≤ {max}; {Command} is {Version}",
        _ => null,
    };
}

/// <summary>The Python interpreter meant to run the examples cannot be used.</summary>
public sealed class PythonInterpreterException : Exception
{
    public PythonInterpreterException()
    {
    }

    public PythonInterpreterException(string message)
        : base(message)
    {
    }

    public PythonInterpreterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
