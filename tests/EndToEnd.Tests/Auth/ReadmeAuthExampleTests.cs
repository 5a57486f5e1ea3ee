using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Auth;

/// <summary>
/// The README's "Authentication" example as written: an htpasswd file made with <c>htpasswd -B</c> for alice and bob,
/// <c>NSCR_HTPASSWD</c> and nothing else; then a login, the <c>skopeo copy --dest-creds alice:secret … oci:./img</c>
/// push, the <c>curl -u alice:secret …/tags/list</c> and a <c>docker login</c>. Signed-in users may do everything; anonymous callers nothing.
/// </summary>
public sealed class ReadmeAuthExampleTests(ITestOutputHelper output)
{
    [Fact]
    public Task TheReadmesAuthenticationExample_Works_AsWritten() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var config = scope.NewTempDirectory("etc-nscr").Path;
        var htpasswd = Path.Combine(config, "htpasswd");
        var bobPassword = $"b-{Guid.NewGuid():N}";
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", "-c", htpasswd, "alice", "secret"], ct);
        await Tool.RunCheckedAsync("htpasswd", ["-B", "-b", htpasswd, "bob", bobPassword], ct);
        var registry = await scope.StartRegistryAsync(environment: new Dictionary<string, string> { ["NSCR_HTPASSWD"] = htpasswd });
        var host = registry.HostPort;
        Assert.Contains("every signed-in user may pull, push and delete", registry.Log);
        Assert.Contains("every signed-in user is an admin", registry.Log);

        scope.Step("skopeo login");
        var authFile = Path.Combine(scope.NewTempDirectory("auth").Path, "auth.json");
        await Skopeo.RunAsync(ct, "login", "--tls-verify=false", "--authfile", authFile, "-u", "alice", "-p", "secret", host);

        scope.Step("skopeo copy --dest-creds alice:secret oci:./img docker://…/team/app:1");
        var storage = scope.NewStorage();
        var image = await Images.BuildAsync(storage, "localhost/e2e/readme-auth:latest", ct);
        var layout = Path.Combine(scope.NewTempDirectory("layout").Path, "img");
        await Skopeo.RunAsync(ct, "copy", storage.SkopeoReference(image.Name), $"oci:{layout}");
        await Skopeo.RunAsync(ct, "copy", "--dest-creds", "alice:secret", "--dest-tls-verify=false", $"oci:{layout}", $"docker://{host}/team/app:1");

        scope.Step("curl -u alice:secret …/v2/team/app/tags/list");
        var tags = await Tool.RunCheckedAsync("curl", ["-sS", "-f", "-u", "alice:secret", $"http://{host}/v2/team/app/tags/list"], ct);
        Assert.Equal("""{"name":"team/app","tags":["1"]}""", tags.StandardOutput.Trim());

        scope.Step("bob, the other user, pulls it; anonymous may not");
        var pulled = Path.Combine(scope.NewTempDirectory("pulled").Path, "img");
        await Skopeo.RunAsync(ct, "copy", "--src-creds", $"bob:{bobPassword}", "--src-tls-verify=false", $"docker://{host}/team/app:1", $"oci:{pulled}:1");
        var inspected = await Skopeo.RunAsync(ct, "inspect", "--config", $"oci:{pulled}:1");
        Assert.Contains("\"architecture\": \"amd64\"", inspected.StandardOutput);
        var anonymous = await Tool.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--no-creds", $"docker://{host}/team/app:1"], ct);
        Assert.NotEqual(0, anonymous.ExitCode);

        scope.Step("docker login as alice, pull it, push it under a new name");
        var docker = await scope.StartDockerAsync();
        Assert.NotEqual(0, (await docker.TryDockerAsync(ct, "pull", $"{host}/team/app:1")).ExitCode);
        await docker.DockerAsync(ct, "login", "-u", "alice", "-p", "secret", host);
        await docker.DockerAsync(ct, "pull", $"{host}/team/app:1");
        await docker.DockerAsync(ct, "tag", $"{host}/team/app:1", $"{host}/alice/copy:1");
        await docker.DockerAsync(ct, "push", $"{host}/alice/copy:1");
        var copied = await Tool.RunCheckedAsync("curl", ["-sS", "-f", "-u", $"bob:{bobPassword}", $"http://{host}/v2/alice/copy/tags/list"], ct);
        Assert.Equal("""{"name":"alice/copy","tags":["1"]}""", copied.StandardOutput.Trim());
        Assert.DoesNotContain("Unhandled error", registry.Log);
    });
}
