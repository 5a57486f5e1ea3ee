namespace Nscr.Oci;

/// <summary>A request that fails with an OCI error code; crosses grain calls intact.</summary>
[GenerateSerializer]
[Alias("nscr.OciException")]
public sealed class OciException : Exception
{
    [Id(0)] public OciErrorCode Code { get; }
    [Id(1)] public string? Detail { get; }

    public OciException(OciErrorCode code, string message, string? detail = null) : base(message)
    {
        Code = code;
        Detail = detail;
    }
}
