using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>Process.Kill() only sends SIGKILL; a graceful stop needs SIGTERM.</summary>
public static class Posix
{
    private const int SigTerm = 15;
    private const int NoSuchProcess = 3; // ESRCH

    public static void Terminate(Process process)
    {
        if (kill(process.Id, SigTerm) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != NoSuchProcess)
            {
                throw new Win32Exception(error, $"kill -TERM {process.Id} failed");
            }
        }
    }

    /// <summary>SIGTERM, then wait; SIGKILL if it does not exit within the grace period.</summary>
    public static async Task TerminateAndWaitAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            return;
        }
        Terminate(process);
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
