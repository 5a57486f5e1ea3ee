using Microsoft.Extensions.Logging;
using Nscr.Grains.Gc;

namespace Nscr.Grains.Events;

/// <summary>
/// For a silo that hosts no gateway (the standalone Nscr.Silo): sends the cycles of the GC grain it may host to every
/// gateway through <see cref="IRegistryEventsGrain"/>. The observer is called in the GC grain's turn, so the calls go
/// out on the thread pool, chained so that a cycle's start always precedes its end.
/// </summary>
public sealed partial class GcEventForwarder(IGrainFactory grains, TimeProvider time, ILogger<GcEventForwarder> logger) : IGcCycleObserver
{
    private readonly string origin = $"silo {Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Lock chaining = new();
    private Task tail = Task.CompletedTask;

    public void CycleStarted(GcReport report) => Forward(report);

    public void CycleFinished(GcReport report) => Forward(report);

    private void Forward(GcReport report)
    {
        var item = RegistryEvent.Collection(time.GetUtcNow(), report) with { Origin = origin };
        lock (chaining)
        {
            tail = tail.ContinueWith(_ => PublishAsync(item), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task PublishAsync(RegistryEvent item)
    {
        try
        {
            await grains.GetGrain<IRegistryEventsGrain>(0).PublishAsync([item]);
        }
        catch (Exception e)
        {
            PublishFailed(logger, e.GetType().Name, item.Gc?.Id ?? 0);
        }
    }

    [LoggerMessage(EventId = 5160, Level = LogLevel.Warning, Message = "GC cycle {Id} could not be announced to the gateways ({Error})")]
    private static partial void PublishFailed(ILogger logger, string error, long id);
}
