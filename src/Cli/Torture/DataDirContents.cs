namespace Nscr.Cli.Torture;

/// <summary>What is left under a registry data dir's <c>blobs/</c> and <c>uploads/</c> (files only; empty
/// directories do not hold bytes).</summary>
public sealed record DataDirContents(int BlobFiles, int UploadFiles, long Bytes, IReadOnlyList<string> Sample)
{
    private const int SampleSize = 20;

    public bool IsEmpty => BlobFiles == 0 && UploadFiles == 0;

    public static DataDirContents Inspect(string dataDir)
    {
        var sample = new List<string>();
        long bytes = 0;
        int Count(string name)
        {
            var directory = new DirectoryInfo(Path.Combine(dataDir, name));
            if (!directory.Exists) return 0;
            var count = 0;
            foreach (var file in directory.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                count++;
                bytes += file.Length;
                if (sample.Count < SampleSize) sample.Add($"{Path.GetRelativePath(dataDir, file.FullName)} ({file.Length} bytes)");
            }
            return count;
        }
        var blobs = Count("blobs");
        var uploads = Count("uploads");
        return new DataDirContents(blobs, uploads, bytes, sample);
    }
}
