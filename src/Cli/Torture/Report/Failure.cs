namespace Nscr.Cli.Torture.Report;

/// <summary>Why a run fails. Each kind is a broken promise of the registry, never a legal race.</summary>
public static class FailureKinds
{
    /// <summary>A 5xx answer, to anything.</summary>
    public const string ServerError = "server-error";

    /// <summary>No answer: connection refused or reset, or a request timeout.</summary>
    public const string NoAnswer = "no-answer";

    /// <summary>An answer the protocol does not allow there (a 4xx on a valid request, a wrong header).</summary>
    public const string UnexpectedResponse = "unexpected-response";

    /// <summary>A tagged (acknowledged, not deleted) manifest, child, referrer or blob that is gone.</summary>
    public const string Missing = "missing";

    /// <summary>Bytes that do not hash to their digest, or a tag that points at another manifest.</summary>
    public const string Corrupt = "corrupt";

    /// <summary>A deleted tag or manifest that still answers, or a tag list that differs from what was acknowledged.</summary>
    public const string Inconsistent = "inconsistent";

    /// <summary>A push refused by GC races more times than any schedule explains.</summary>
    public const string Starved = "starved";

    /// <summary>The garbage collector reported errors, or its API is missing or misbehaves.</summary>
    public const string Gc = "gc";

    /// <summary>Files left in blobs/ or uploads/ after deleting everything and one GC cycle.</summary>
    public const string Leftover = "leftover";
}

/// <summary>One failure: who saw it (worker-3, gc, cleanup), its kind, what happened, and when in the run.</summary>
public sealed record Failure(string Where, string Kind, string Message, double AtSeconds);

/// <summary>Thrown by checks; the worker records it and stops (its model of the registry is no longer certain).</summary>
public sealed class TortureFailureException(string kind, string message) : Exception(message)
{
    public string Kind { get; } = kind;
}
