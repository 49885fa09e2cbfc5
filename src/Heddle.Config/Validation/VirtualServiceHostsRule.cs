using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>
/// A VirtualService names at least one valid host, unless another VirtualService delegates to it (Istio's delegate
/// VirtualServices have no hosts and no gateways); "*" alone is not allowed for sidecars.
/// </summary>
internal sealed class VirtualServiceHostsRule : ResourceRule<VirtualService>
{
    protected override void Check(VirtualService resource, RuleContext context)
    {
        var spec = resource.Spec;
        if (spec.Hosts.IsEmpty)
        {
            if (!IsDelegate(resource, context.Loaded))
            {
                context.Error(resource, "spec.hosts", "required field is missing (only a VirtualService that another one delegates to may omit hosts)");
            }
            else if (!spec.Gateways.IsEmpty)
            {
                context.Error(resource, "spec.gateways", "a delegate VirtualService must not name gateways; the delegating one decides");
            }
            return;
        }
        bool appliesToMesh = spec.Gateways.IsEmpty || spec.Gateways.Contains("mesh");
        for (int i = 0; i < spec.Hosts.Length; i++)
        {
            string host = spec.Hosts[i];
            string path = $"spec.hosts[{i}]";
            if (!Names.IsHost(host))
            {
                context.Error(resource, path, $"expected a host name such as \"reviews\", \"reviews.prod.svc.cluster.local\" or \"*.example.com\", got \"{host}\"");
            }
            else if (host == "*" && appliesToMesh)
            {
                context.Error(resource, path, "the wildcard host \"*\" is not allowed for a VirtualService that applies to sidecars (gateway \"mesh\")");
            }
        }
    }

    private static bool IsDelegate(VirtualService resource, IReadOnlyList<Resource> loaded)
    {
        foreach (var other in loaded)
        {
            if (other is not VirtualService parent)
            {
                continue;
            }
            foreach (var route in parent.Spec.Http)
            {
                if (route.Delegate is { } target && target.Name == resource.Metadata.Name
                    && (target.Namespace ?? parent.Metadata.Namespace) == resource.Metadata.Namespace)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
