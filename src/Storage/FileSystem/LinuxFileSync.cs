using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nscr.Storage.FileSystem;

/// <summary>
/// Durability calls .NET does not offer, straight from libc; only on Linux (elsewhere they do nothing).
/// </summary>
internal static partial class LinuxFileSync
{
    private const int ReadOnly = 0;          // O_RDONLY
    private const int CloseOnExec = 0x80000; // O_CLOEXEC on Linux (x64 and arm64 alike)
    private const int Interrupted = 4;       // EINTR
    private const uint StartWrite = 2;       // SYNC_FILE_RANGE_WRITE

    /// <summary>
    /// fsync of a directory, which makes a rename or a new entry in it durable. .NET cannot open a directory
    /// as a file, hence open/fsync/close here.
    /// </summary>
    public static void FsyncDirectory(string directory)
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
            if (Fsync(fd) != 0) throw Failure("fsync", directory, Marshal.GetLastPInvokeError());
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>
    /// Starts writing a range of dirty pages to disk without waiting, so that the disk works while the copy goes
    /// on and the final fsync has little left to do. Only a hint: failures are ignored (fsync reports real ones).
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long count)
    {
        if (!OperatingSystem.IsLinux()) return;

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, count, StartWrite);
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    private static IOException Failure(string call, string directory, int errno) =>
        new($"{call} of directory '{directory}' failed: {new Win32Exception(errno).Message}", new Win32Exception(errno));

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);
}
