namespace Nscr.Gateway.Api;

/// <summary>
/// <c>POST /api/fsck</c>: re-hashes every stored blob, checks every blob a manifest needs is stored and the catalog lists every
/// repository with a stored state; answers 200 with
/// what it found (nothing is deleted or repaired).
/// </summary>
public sealed class FsckEndpoint(FsckRunner runner)
{
    public async Task RunAsync(HttpContext context)
    {
        var report = await runner.RunAsync(context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", report.Ok);
            json.WriteNumber("checkedBlobs", report.CheckedBlobs);
            json.WriteNumber("checkedBytes", report.CheckedBytes);
            json.WriteNumber("durationMs", (long)report.Duration.TotalMilliseconds);
            json.WriteStartArray("corrupt");
            foreach (var (digest, actual) in report.Corrupt)
            {
                json.WriteStartObject();
                json.WriteString("digest", digest.ToString());
                json.WriteString("actual", actual.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("missing");
            foreach (var (repository, digest) in report.Missing)
            {
                json.WriteStartObject();
                json.WriteString("repository", repository);
                json.WriteString("digest", digest.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("uncataloged");
            foreach (var repository in report.Uncataloged) json.WriteStringValue(repository);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
