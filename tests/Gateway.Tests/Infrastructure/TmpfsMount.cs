using System.Diagnostics;

namespace Nscr.Gateway.Tests.Infrastructure;

/// <summary>A small tmpfs mounted on a unique directory under /tmp: a real filesystem that really fills up.</summary>
public sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/>; null (and why) when mounting is refused here.</summary>
    public static TmpfsMount? TryMount(int megabytes, out string refusal)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nscr-tmpfs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        var (exit, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (exit == 0)
        {
            refusal = "";
            return new TmpfsMount(path);
        }
        Directory.Delete(path);
        refusal = $"mount -t tmpfs was refused (exit {exit}): {output.Trim()}";
        return null;
    }

    /// <summary>Writes zeros into <paramref name="name"/> until the filesystem answers ENOSPC, down to the last byte.</summary>
    public void Fill(string name)
    {
        using var filler = new FileStream(System.IO.Path.Combine(Path, name), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        foreach (var size in new[] { 1 << 20, 4096, 1 })
        {
            var chunk = new byte[size];
            try
            {
                while (true) filler.Write(chunk);
            }
            catch (IOException)
            {
                // Full at this granularity: go on with smaller writes.
            }
        }
    }

    public void Dispose()
    {
        // Lazy: a handle a dying host still holds must not keep the mount (and the test run) around.
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static (int Exit, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}

/// <summary>A fact that is skipped, saying why, where a tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN).</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Refusal = new(() =>
    {
        using var probe = TmpfsMount.TryMount(1, out var refusal);
        return probe is null ? refusal : null;
    });

    public TmpfsFactAttribute()
    {
        if (Refusal.Value is { } refusal) Skip = $"needs a real full disk: {refusal}";
    }
}
