using Heddle.Config;
using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.ControlPlane.Security;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Secure naming: the identities allowed to serve a Kubernetes Service are the service accounts of the
/// workloads its selector matches in its namespace (from configuration, so they do not change as pods come and go).</summary>
internal static class ServiceIdentities
{
    public static ImmutableArray<string> For(KubernetesService service, WorkloadIndex workloads)
    {
        if (service.Spec.Selector.IsEmpty)
        {
            return [];
        }

        var identities = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var workload in workloads.All)
        {
            if (workload.Metadata.Namespace == service.Metadata.Namespace && LabelSelectors.Matches(service.Spec.Selector, workload.Labels))
            {
                identities.Add(new WorkloadIdentity(WorkloadIdentity.DefaultTrustDomain, workload.Metadata.Namespace, workload.ServiceAccount).SpiffeId);
            }
        }

        return [.. identities];
    }
}
