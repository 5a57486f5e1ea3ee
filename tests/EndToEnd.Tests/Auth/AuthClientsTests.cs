using Nscr.EndToEnd.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Nscr.EndToEnd.Tests.Auth;

/// <summary>docker, podman and skopeo log in and push/pull through the token flow; wrong credentials fail cleanly.</summary>
public sealed class AuthClientsTests(ITestOutputHelper output)
{
    [Fact]
    public Task DockerLogin_ThenPushAndPull_ThroughTheTokenFlow() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var setup = await AuthRegistrySetup.StartAsync(scope);
        var host = setup.Registry.HostPort;
        var docker = await scope.StartDockerAsync();
        var storage = scope.NewStorage();
        var image = await Images.BuildAsync(storage, "localhost/e2e/docker-auth:latest", ct);
        var archive = Path.Combine(scope.NewTempDirectory("archive").Path, "image.tar");
        await Skopeo.RunAsync(ct, "copy", storage.SkopeoReference(image.Name), $"docker-archive:{archive}:{host}/team/docker:v1");
        await docker.DockerAsync(ct, "load", "--input", archive);

        scope.Step("push without login is refused");
        var anonymous = await docker.TryDockerAsync(ct, "push", $"{host}/team/docker:v1");
        Assert.NotEqual(0, anonymous.ExitCode);

        scope.Step("docker login with a wrong password fails");
        var wrong = await docker.TryDockerAsync(ct, "login", "-u", "writer", "-p", "wrong-password", host);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("unauthorized", (wrong.StandardError + wrong.StandardOutput).ToLowerInvariant());

        scope.Step("docker login, push, pull");
        await docker.DockerAsync(ct, "login", "-u", "writer", "-p", setup.WriterPassword, host);
        await docker.DockerAsync(ct, "push", $"{host}/team/docker:v1");
        await docker.DockerAsync(ct, "rmi", $"{host}/team/docker:v1");
        await docker.DockerAsync(ct, "pull", $"{host}/team/docker:v1");
        var id = (await docker.DockerAsync(ct, "image", "inspect", "--format", "{{.Id}}", $"{host}/team/docker:v1")).StandardOutput.Trim();
        Assert.Equal(image.Id, id);

        scope.Step("the reader may pull but not push");
        await docker.DockerAsync(ct, "login", "-u", "reader", "-p", setup.ReaderPassword, host);
        await docker.DockerAsync(ct, "tag", $"{host}/team/docker:v1", $"{host}/team/docker:v2");
        var denied = await docker.TryDockerAsync(ct, "push", $"{host}/team/docker:v2");
        Assert.NotEqual(0, denied.ExitCode);
        await docker.DockerAsync(ct, "rmi", $"{host}/team/docker:v1", $"{host}/team/docker:v2");
        await docker.DockerAsync(ct, "pull", $"{host}/team/docker:v1");
        setup.AssertNoServerError();
    });

    [Fact]
    public Task PodmanLogin_ThenPushAndPull_ThroughTheTokenFlow() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var setup = await AuthRegistrySetup.StartAsync(scope);
        var host = setup.Registry.HostPort;
        var builder = scope.NewStorage();
        var image = await Images.BuildAsync(builder, "localhost/e2e/podman-auth:latest", ct);
        var authFile = Path.Combine(scope.NewTempDirectory("auth").Path, "auth.json");

        scope.Step("podman login with a wrong password fails");
        var wrong = await Tool.RunAsync("podman", [.. builder.PodmanFlags, "login", "--authfile", authFile, "--tls-verify=false", "-u", "writer", "-p", "nope", host], ct);
        Assert.NotEqual(0, wrong.ExitCode);

        scope.Step("podman login, push, pull into an empty storage");
        await builder.PodmanAsync(ct, "login", "--authfile", authFile, "--tls-verify=false", "-u", "writer", "-p", setup.WriterPassword, host);
        await builder.PodmanAsync(ct, "push", "--authfile", authFile, "--tls-verify=false", image.Name, $"{host}/team/podman:v1");
        var puller = scope.NewStorage();
        var pull = await puller.PodmanAsync(ct, "pull", "--quiet", "--authfile", authFile, "--tls-verify=false", $"{host}/team/podman:v1");
        Assert.Equal(image.Id, "sha256:" + pull.StandardOutput.Trim());

        scope.Step("anonymous pull is refused");
        var anonymous = await Tool.RunAsync("podman", [.. scope.NewStorage().PodmanFlags, "pull", "--authfile", Path.Combine(Path.GetDirectoryName(authFile)!, "none.json"), "--tls-verify=false", $"{host}/team/podman:v1"], ct);
        Assert.NotEqual(0, anonymous.ExitCode);
        setup.AssertNoServerError();
    });

    [Fact]
    public Task SkopeoCopy_WithCredentials_PushesAndPulls_AndWrongOnesFail() => TestScope.RunAsync(output, async scope =>
    {
        var ct = scope.CancellationToken;
        var setup = await AuthRegistrySetup.StartAsync(scope);
        var host = setup.Registry.HostPort;
        var storage = scope.NewStorage();
        var image = await Images.BuildAsync(storage, "localhost/e2e/skopeo-auth:latest", ct);
        var remote = $"docker://{host}/team/skopeo:v1";

        scope.Step("skopeo copy --dest-creds");
        await Skopeo.RunAsync(ct, "copy", "--dest-tls-verify=false", "--dest-creds", $"writer:{setup.WriterPassword}", storage.SkopeoReference(image.Name), remote);

        scope.Step("skopeo copy --src-creds");
        var layout = Path.Combine(scope.NewTempDirectory("layout").Path, "image");
        await Skopeo.RunAsync(ct, "copy", "--src-tls-verify=false", "--src-creds", $"reader:{setup.ReaderPassword}", remote, $"oci:{layout}:v1");
        var inspect = await Skopeo.RunAsync(ct, "inspect", "--config", $"oci:{layout}:v1");
        Assert.Contains("\"architecture\": \"amd64\"", inspect.StandardOutput);

        scope.Step("wrong password, no credentials and a reader's push all fail");
        var wrong = await Tool.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--creds", "reader:wrong", remote], ct);
        var none = await Tool.RunAsync("skopeo", ["inspect", "--tls-verify=false", "--no-creds", remote], ct);
        var readerPush = await Tool.RunAsync("skopeo", ["copy", "--dest-tls-verify=false", "--dest-creds", $"reader:{setup.ReaderPassword}", storage.SkopeoReference(image.Name), $"docker://{host}/team/skopeo:v2"], ct);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.NotEqual(0, none.ExitCode);
        Assert.NotEqual(0, readerPush.ExitCode);
        Assert.Contains("unauthorized", wrong.StandardError.ToLowerInvariant());
        setup.AssertNoServerError();
        Assert.NotNull(image.Id);
    });
}
