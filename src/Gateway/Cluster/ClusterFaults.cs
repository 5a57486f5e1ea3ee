using Orleans.Runtime;

namespace Nscr.Gateway.Cluster;

/// <summary>
/// Failures that mean "the cluster cannot answer right now" rather than "this request is wrong": a silo died and the
/// membership has not declared it dead yet, no gateway silo is reachable, a grain call timed out. They are answered
/// 503 UNAVAILABLE with Retry-After so clients (skopeo, podman, docker) retry instead of giving up on a 500.
/// </summary>
public static class ClusterFaults
{
    /// <summary>Seconds a client should wait before retrying.</summary>
    public const int RetryAfterSeconds = 2;

    public static bool IsTransient(Exception exception) => exception switch
    {
        // SiloUnavailableException and the client's "no gateway" rejections derive from it.
        OrleansMessageRejectionException => true,
        GatewayTooBusyException => true,
        ClientNotAvailableException => true,
        // Grain calls to a silo that vanished time out after the response timeout.
        TimeoutException => true,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => aggregate.InnerExceptions.All(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
