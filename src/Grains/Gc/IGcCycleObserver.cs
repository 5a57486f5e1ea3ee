namespace Nscr.Grains.Gc;

/// <summary>
/// Told about every cycle that starts and every one that finishes (webhooks, the live events feed). Registered in the
/// silo's services; called in the GC grain's turn, so an implementation must return at once (queue the work) and never
/// call a grain.
/// </summary>
public interface IGcCycleObserver
{
    void CycleStarted(GcReport report)
    {
    }

    void CycleFinished(GcReport report);
}
