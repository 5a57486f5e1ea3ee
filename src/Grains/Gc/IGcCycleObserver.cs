namespace Nscr.Grains.Gc;

/// <summary>
/// Told about every finished cycle (webhooks, for instance). Registered in the silo's services; called in the GC grain's
/// turn, so an implementation must return at once (queue the work) and never call a grain.
/// </summary>
public interface IGcCycleObserver
{
    void CycleFinished(GcReport report);
}
