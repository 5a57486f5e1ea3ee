namespace Nscr.EndToEnd.Tests.Infrastructure;

/// <summary>skopeo 1.9 ignores CONTAINERS_REGISTRIES_CONF, so plain-HTTP access is always given per command.</summary>
public static class Skopeo
{
    public static Task<ToolResult> PushAsync(string source, string destination, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "copy", "--dest-tls-verify=false", source, destination);

    public static Task<ToolResult> PullAsync(string source, string destination, CancellationToken cancellationToken) =>
        RunAsync(cancellationToken, "copy", "--src-tls-verify=false", source, destination);

    public static Task<ToolResult> RunAsync(CancellationToken cancellationToken, params string[] arguments) =>
        Tool.RunCheckedAsync("skopeo", arguments, cancellationToken);
}
