using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Nscr.Oci;
using Nscr.Storage.Bench;
using Nscr.Storage.FileSystem;

// Raw throughput of the blob store's write path: one stream, SHA-256 while copying, fsync before returning.
// Variants run interleaved, round after round, so that a busy machine slows them all alike; the CPU time
// (user + system, all threads) is the steadier figure when other processes compete for the cores.
// Usage: dotnet run -c Release --project bench/Storage.Bench [-- sizeMiB [rounds [name filter, alternatives split by |]]]
var sizeMiB = args.Length > 0 ? int.Parse(args[0]) : 512;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
var filter = args.Length > 2 ? args[2] : "";
var size = sizeMiB * 1024L * 1024L;
var root = Path.Combine(Path.GetTempPath(), "nscr-storage-bench-" + Environment.ProcessId);
var store = new FileSystemBlobStore(Options.Create(new FileSystemBlobStoreOptions { RootDirectory = root }), NullLogger<FileSystemBlobStore>.Instance);
var path = Path.Combine(root, "uploads", "bench");

(string Name, Func<Task> Run)[] variants =
[
    ("reference: SHA-256 of the source, no file", () => WriteVariants.HashOnlyAsync(size)),
    ("reference: page-cache write, no hash, no fsync", () => WriteVariants.PipelinedAsync(path, size, 1024 * 1024, hash: false, writeback: false, fsync: false)),
    ("naive loop (read, hash, write in turn), 1 MiB", () => WriteVariants.NaiveAsync(path, size, 1024 * 1024)),
    ("pipelined, 256 KiB buffers, no early writeback", () => WriteVariants.PipelinedAsync(path, size, 256 * 1024, hash: true, writeback: false, fsync: true)),
    .. new[] { 128, 256, 512, 1024, 4096 }.Select(kib => ($"pipelined, {kib} KiB buffers", (Func<Task>)(() =>
        WriteVariants.PipelinedAsync(path, size, kib * 1024, hash: true, writeback: true, fsync: true)))),
    ("FileSystemBlobStore.WriteStagedAsync (as shipped)", async () =>
    {
        await store.CreateStagedAsync("bench", CancellationToken.None);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await store.WriteStagedAsync("bench", 0, new GeneratedStream(size), hash, long.MaxValue, CancellationToken.None);
    }),
    ("FileSystemBlobStore.HashStagedAsync (from page cache)", () => store.HashStagedAsync("bench", size, Digest.Sha256, CancellationToken.None)),
];
variants = variants.Where(variant => variant.Name.Contains("as shipped") ||
    filter.Split('|').Any(part => variant.Name.Contains(part, StringComparison.OrdinalIgnoreCase))).ToArray();
if (Environment.GetEnvironmentVariable("BENCH_REVERSE") is "1") Array.Reverse(variants); // to rule out order effects

var wall = variants.Select(_ => new List<double>()).ToArray();
var cpu = variants.Select(_ => new List<double>()).ToArray();
var process = Process.GetCurrentProcess();
try
{
    for (var round = 0; round < rounds; round++)
    {
        for (var i = 0; i < variants.Length; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await variants[i].Run();
            wall[i].Add(watch.Elapsed.TotalSeconds);
            process.Refresh();
            cpu[i].Add((process.TotalProcessorTime - cpuBefore).TotalSeconds);
        }
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

Console.WriteLine($"{sizeMiB} MiB per run, {rounds} rounds, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine("  best MB/s  median MB/s  CPU s/GB  variant");
for (var i = 0; i < variants.Length; i++)
{
    var median = wall[i].Order().ElementAt(rounds / 2);
    var cpuPerGb = cpu[i].Order().ElementAt(rounds / 2) / (size / 1e9);
    Console.WriteLine($"  {size / wall[i].Min() / 1e6,9:F0}  {size / median / 1e6,11:F0}  {cpuPerGb,8:F2}  {variants[i].Name}");
}
