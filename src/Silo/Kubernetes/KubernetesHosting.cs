using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using Nscr.Silo.Configuration;

namespace Nscr.Silo.Kubernetes;

/// <summary>Setting of a silo running as a Kubernetes pod (section "Nscr"; env NSCR_KUBERNETES).</summary>
public sealed class KubernetesOptions
{
    public const string Section = NscrSection.Name;

    [Description("The silo runs in a Kubernetes pod: Orleans takes the silo name and advertised address from the pod (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID, ORLEANS_CLUSTER_ID) and marks silos whose pod is gone as dead without waiting for the membership probes. Needs a service account allowed to list and watch pods.")]
    public bool Kubernetes { get; set; }
}

public static class KubernetesHosting
{
    /// <summary>Adds Orleans' Kubernetes hosting when <c>NSCR_KUBERNETES=true</c>; nothing otherwise.</summary>
    public static ISiloBuilder UseNscrKubernetes(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(KubernetesOptions.Section).Get<KubernetesOptions>() ?? new KubernetesOptions();
        return options.Kubernetes ? silo.UseKubernetesHosting() : silo;
    }
}
