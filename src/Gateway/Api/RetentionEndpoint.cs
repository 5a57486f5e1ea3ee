using Nscr.Grains;

namespace Nscr.Gateway.Api;

/// <summary>
/// <c>/api/retention</c>: the retention policy GC cycles apply, editable at run time. GET gives it with its source
/// (<c>configuration</c> or <c>api</c>); PUT <c>{"rules": [...]}</c> saves rules in the GC grain's state, so every silo's
/// later cycles apply them instead of the configured ones (and they survive restarts); PUT with <c>?dryRun=true</c> runs
/// a dry-run cycle with the proposed rules, saving nothing, and answers its report; DELETE goes back to the configuration.
/// </summary>
public sealed class RetentionEndpoint(IGrainFactory grains, GcEndpoint gc, TimeProvider time)
{
    /// <summary>A rule document is small; anything bigger is a mistake.</summary>
    private const int MaxBodyBytes = 1 << 20;

    private IGarbageCollectorGrain Collector => grains.GetGrain<IGarbageCollectorGrain>(0);

    public async Task GetAsync(HttpContext context) => await WritePolicyAsync(context, await Collector.GetRetentionAsync());

    public async Task PutAsync(HttpContext context)
    {
        var dryRun = ApiResponses.QueryFlag(context, "dryRun");
        var rules = RetentionJson.ReadRules(await ReadBodyAsync(context));
        if (!dryRun)
        {
            var policy = await Collector.SetRetentionAsync(rules);
            await WritePolicyAsync(context, policy);
            return;
        }
        var report = await gc.FinishedAsync(await PreviewAsync(rules, context.RequestAborted), context.RequestAborted);
        var now = time.GetUtcNow();
        await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteBoolean("dryRun", true);
            RetentionJson.WriteRules(json, rules);
            json.WritePropertyName("report");
            GcReportJson.Write(json, report, now);
            json.WriteEndObject();
        });
    }

    public async Task DeleteAsync(HttpContext context)
    {
        var policy = await Collector.SetRetentionAsync(null);
        await WritePolicyAsync(context, policy);
    }

    /// <summary>Starts the dry run; while another cycle runs, waits for that one to finish first (one cycle at a time).</summary>
    private async Task<GcReport> PreviewAsync(IReadOnlyList<RetentionRule> rules, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await Collector.PreviewRetentionAsync(rules) is { } started) return started;
            if ((await Collector.GetStatusAsync()).Running is { } running) await gc.FinishedAsync(running, cancellationToken);
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ApiException TooLarge() =>
        new(StatusCodes.Status400BadRequest, RetentionJson.InvalidCode, $"a retention document must be smaller than {MaxBodyBytes} bytes");

    private static Task WritePolicyAsync(HttpContext context, RetentionPolicy policy) =>
        ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("source", policy.Source);
            RetentionJson.WriteRules(json, policy.Rules);
            ApiResponses.WriteTime(json, "updatedAt", policy.UpdatedAt);
            json.WriteEndObject();
        });
}
