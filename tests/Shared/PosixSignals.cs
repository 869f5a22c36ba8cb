using System.Runtime.InteropServices;

namespace Bot.Tests.Shared;

/// <summary>Sends SIGTERM the way Docker and systemd stop a process; Process.Kill only sends SIGKILL.</summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    public static int Terminate(int processId) => Kill(processId, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
