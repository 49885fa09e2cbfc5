using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>A DestinationRule that tells clients to send plaintext (<c>tls.mode: DISABLE</c>) to a service whose
/// workloads accept only mutual TLS (PeerAuthentication STRICT): every request through it would be refused.</summary>
internal sealed class MutualTlsConflictCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        if (context.Config.PeerAuthentications.IsEmpty)
        {
            return;
        }

        foreach (var rule in context.Config.DestinationRules)
        {
            if (rule.Spec.TrafficPolicy?.Tls?.Mode != TlsMode.Disable
                || context.Catalog.Resolve(rule.Spec.Host, rule.Metadata.Namespace)?.Definition is not KubernetesService service
                || service.Spec.Selector.IsEmpty)
            {
                continue;
            }

            foreach (var workload in context.Config.LocalWorkloads)
            {
                if (workload.Metadata.Namespace != service.Metadata.Namespace || !LabelSelectors.Matches(service.Spec.Selector, workload.Labels))
                {
                    continue;
                }

                var policy = PeerAuthenticationPolicy.For(context.Config.PeerAuthentications, workload.Metadata.Namespace, workload.Labels);
                if (policy.WorkloadMode == PeerAuthenticationMode.Strict)
                {
                    context.Warning(rule, "spec.trafficPolicy.tls.mode",
                        $"clients are told to send plaintext to {rule.Spec.Host}, but its workload {workload.Metadata.Name} accepts only mutual TLS ({policy.DecidedBy?.DisplayName} is STRICT); requests will be refused");
                    break;
                }
            }
        }
    }
}
