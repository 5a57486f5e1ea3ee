namespace Nscr.Grains.Uploads;

[GenerateSerializer]
[Alias("nscr.UploadState")]
public sealed class UploadState
{
    /// <summary>Null when the session does not exist (never started, committed or cancelled).</summary>
    [Id(0)] public string? Repository { get; set; }
    /// <summary>Bytes of the staged object that are durable; anything after it is discarded on the next write.</summary>
    [Id(1)] public long Offset { get; set; }
    [Id(2)] public DateTimeOffset StartedAt { get; set; }
    [Id(3)] public DateTimeOffset LastActivity { get; set; }
}
