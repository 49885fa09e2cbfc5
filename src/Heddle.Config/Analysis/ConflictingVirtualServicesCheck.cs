using Heddle.Config.Model;

namespace Heddle.Config.Analysis;

/// <summary>
/// Two VirtualServices that apply to sidecars (gateway "mesh") route the same host. Istio merges VirtualServices
/// only for gateways; for sidecars it uses one of them and drops the other, which istioctl analyze reports as an
/// error (IST0109), so Heddle does too. VirtualServices bound only to gateways may share hosts.
/// </summary>
internal sealed class ConflictingVirtualServicesCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        var owners = new Dictionary<string, VirtualService>(StringComparer.OrdinalIgnoreCase);
        foreach (var virtualService in context.Config.VirtualServices)
        {
            var gateways = virtualService.Spec.Gateways;
            if (!gateways.IsEmpty && !gateways.Contains("mesh"))
            {
                continue;
            }
            for (int i = 0; i < virtualService.Spec.Hosts.Length; i++)
            {
                string host = HostNames.Qualify(virtualService.Spec.Hosts[i], virtualService.Metadata.Namespace);
                if (owners.TryGetValue(host, out var first))
                {
                    context.Error(virtualService, $"spec.hosts[{i}]",
                        $"host {host} is also routed by VirtualService {first.Metadata.Namespace}/{first.Metadata.Name} ({first.Source}); sidecars use only one VirtualService per host, merge their routes");
                }
                else
                {
                    owners.Add(host, virtualService);
                }
            }
        }
    }
}
