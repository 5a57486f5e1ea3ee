using YamlDotNet.RepresentationModel;

namespace Nscr.Deploy.Tests;

/// <summary>deploy/kubernetes: parses, and the workloads agree with the image, the settings and each other.</summary>
public sealed class KubernetesTests
{
    private static readonly IReadOnlyList<YamlMappingNode> Objects = LoadObjects();

    [Fact]
    public void SilosRunTheImageWithKubernetesHostingOnThePortsTheyDeclare()
    {
        var silo = Workload("StatefulSet", "nscr-silo");
        var container = Container(silo);
        var env = Environment(container);
        Assert.Equal("localhost/nscr:latest", DeployFiles.Scalar(container, "image"));
        Assert.Equal("silo", Args(container));
        Assert.Equal("true", env["NSCR_KUBERNETES"]);
        Assert.Equal(env["NSCR_SILO_PORT"], ContainerPort(container, "silo"));
        Assert.Equal(env["NSCR_GATEWAY_PORT"], ContainerPort(container, "orleans-gateway"));
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
        {
            Assert.True(env.ContainsKey(name), $"Orleans' Kubernetes hosting needs {name}");
        }

        // The labels Orleans reads are the ids the rest of the cluster (gateways, database rows) uses.
        var config = Object("ConfigMap", "nscr");
        var labels = (YamlMappingNode)DeployFiles.Node(silo, "spec", "template", "metadata", "labels")!;
        Assert.Equal(DeployFiles.Scalar(config, "data", "NSCR_SERVICE_ID"), DeployFiles.Scalar(labels, "orleans/serviceId"));
        Assert.Equal(DeployFiles.Scalar(config, "data", "NSCR_CLUSTER_ID"), DeployFiles.Scalar(labels, "orleans/clusterId"));

        // Its service account may watch pods.
        var account = DeployFiles.Scalar(silo, "spec", "template", "spec", "serviceAccountName");
        Assert.NotNull(Object("ServiceAccount", account!));
        var binding = Objects.Single(o => DeployFiles.Scalar(o, "kind") == "RoleBinding"
            && ((YamlSequenceNode)DeployFiles.Node(o, "subjects")!).Children.Any(s => DeployFiles.Scalar(s, "name") == account));
        var role = Object("Role", DeployFiles.Scalar(binding, "roleRef", "name")!);
        var rule = ((YamlSequenceNode)DeployFiles.Node(role, "rules")!).Children
            .Single(r => ((YamlSequenceNode)DeployFiles.Node(r, "resources")!).Children.Any(x => x.ToString() == "pods"));
        var verbs = ((YamlSequenceNode)DeployFiles.Node(rule, "verbs")!).Children.Select(v => v.ToString()).ToList();
        Assert.Contains("list", verbs);
        Assert.Contains("watch", verbs);
    }

    [Fact]
    public void GatewaysArePureClientsReadyOnReadyzBehindTheService()
    {
        var gateway = Workload("Deployment", "nscr-gateway");
        var container = Container(gateway);
        var env = Environment(container);
        Assert.Equal("localhost/nscr:latest", DeployFiles.Scalar(container, "image"));
        Assert.Equal("gateway", Args(container));
        Assert.Equal("gateway", env["NSCR_ROLE"]);
        Assert.Equal(env["NSCR_PORT"], ContainerPort(container, "http"));
        Assert.Equal("/readyz", DeployFiles.Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", DeployFiles.Scalar(container, "livenessProbe", "httpGet", "path"));

        var service = Object("Service", "nscr");
        Assert.Equal("nscr-gateway", DeployFiles.Scalar(service, "spec", "selector", "app.kubernetes.io/name"));
        var port = ((YamlSequenceNode)DeployFiles.Node(service, "spec", "ports")!).Children.Single();
        Assert.Equal("http", DeployFiles.Scalar(port, "targetPort"));
        var ingress = Object("Ingress", "nscr");
        Assert.Equal("0", DeployFiles.Scalar(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-body-size"));
    }

    [Fact]
    public void EveryWorkloadTakesItsSettingsFromTheConfigMapAndTheSecret()
    {
        var secret = Object("Secret", "nscr");
        Assert.NotNull(DeployFiles.Scalar(secret, "stringData", "NSCR_POSTGRES"));
        foreach (var workload in new[] { Workload("StatefulSet", "nscr-silo"), Workload("Deployment", "nscr-gateway") })
        {
            var sources = ((YamlSequenceNode)DeployFiles.Node(Container(workload), "envFrom")!).Children;
            Assert.Contains(sources, s => DeployFiles.Scalar(s, "configMapRef", "name") is { } name && Object("ConfigMap", name) is not null);
            Assert.Contains(sources, s => DeployFiles.Scalar(s, "secretRef", "name") is { } name && Object("Secret", name) is not null);
            Assert.Equal(DeployFiles.Scalar(Object("ConfigMap", "nscr"), "data", "NSCR_DATA_DIR"),
                DeployFiles.Scalar(((YamlSequenceNode)DeployFiles.Node(Container(workload), "volumeMounts")!).Children.Single(), "mountPath"));
        }
    }

    /// <summary>The objects of every file kustomization.yaml lists (each must exist).</summary>
    private static IReadOnlyList<YamlMappingNode> LoadObjects()
    {
        var kustomization = DeployFiles.Documents(DeployFiles.Deploy("kubernetes", "kustomization.yaml")).Single();
        var resources = ((YamlSequenceNode)DeployFiles.Node(kustomization, "resources")!).Children.Select(r => r.ToString()).ToList();
        Assert.Equal(
            Directory.EnumerateFiles(DeployFiles.Deploy("kubernetes"), "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml").Order(),
            resources.Order());
        var objects = resources.SelectMany(r => DeployFiles.Documents(DeployFiles.Deploy("kubernetes", r))).ToList();
        Assert.All(objects, o => Assert.NotNull(DeployFiles.Scalar(o, "apiVersion")));
        return objects;
    }

    private static YamlMappingNode Object(string kind, string name) =>
        Objects.SingleOrDefault(o => DeployFiles.Scalar(o, "kind") == kind && DeployFiles.Scalar(o, "metadata", "name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name}");

    private static YamlMappingNode Workload(string kind, string name)
    {
        var workload = Object(kind, name);
        Assert.Equal(DeployFiles.Scalar(workload, "spec", "selector", "matchLabels", "app.kubernetes.io/name"),
            DeployFiles.Scalar(workload, "spec", "template", "metadata", "labels", "app.kubernetes.io/name"));
        return workload;
    }

    private static YamlNode Container(YamlNode workload) =>
        ((YamlSequenceNode)DeployFiles.Node(workload, "spec", "template", "spec", "containers")!).Children.Single();

    private static string Args(YamlNode container) =>
        string.Join(' ', ((YamlSequenceNode)DeployFiles.Node(container, "args")!).Children.Select(a => a.ToString()));

    private static Dictionary<string, string> Environment(YamlNode container) =>
        ((YamlSequenceNode)DeployFiles.Node(container, "env")!).Children
            .ToDictionary(e => DeployFiles.Scalar(e, "name")!, e => DeployFiles.Scalar(e, "value") ?? "(from field)");

    private static string? ContainerPort(YamlNode container, string name) =>
        ((YamlSequenceNode)DeployFiles.Node(container, "ports")!).Children
            .Where(p => DeployFiles.Scalar(p, "name") == name).Select(p => DeployFiles.Scalar(p, "containerPort")).SingleOrDefault();
}
