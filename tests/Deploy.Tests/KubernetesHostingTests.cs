using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Nscr.Silo.Kubernetes;

namespace Nscr.Deploy.Tests;

/// <summary>NSCR_KUBERNETES=true (what deploy/kubernetes/silo.yaml sets) adds Orleans' Kubernetes hosting, and only then.</summary>
public sealed class KubernetesHostingTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void TheSettingAddsOrleansKubernetesHosting(string? setting, bool expected)
    {
        var builder = Host.CreateApplicationBuilder();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Nscr:Kubernetes"] = setting })
            .Build();
        builder.UseOrleans(silo => silo.UseNscrKubernetes(configuration));

        var kubernetesServices = builder.Services.Count(d =>
            (d.ImplementationType ?? d.ServiceType).Namespace?.StartsWith("Orleans.Hosting.Kubernetes", StringComparison.Ordinal) == true);
        Assert.Equal(expected, kubernetesServices > 0);
    }
}
