using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Nscr.Storage.FileSystem;

/// <summary>
/// fsync of a directory, which makes a rename or a new entry in it durable. .NET cannot open a directory as a
/// file, so this calls libc directly; only on Linux (elsewhere it does nothing).
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;        // O_RDONLY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC on Linux (x64 and arm64 alike)
    private const int Interrupted = 4;     // EINTR

    public static void Fsync(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;

        int fd;
        while ((fd = Open(directory, ReadOnly | CloseOnExec)) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Interrupted) throw Failure("open", directory, errno);
        }
        try
        {
            if (FsyncFd(fd) != 0) throw Failure("fsync", directory, Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static IOException Failure(string call, string directory, int errno) =>
        new($"{call} of directory '{directory}' failed: {new Win32Exception(errno).Message}", new Win32Exception(errno));

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
