using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Destination hosts (routes and mirrors) are host names, not wildcards.</summary>
internal sealed class RouteDestinationRule : ResourceRule<VirtualService>
{
    protected override void Check(VirtualService resource, RuleContext context)
    {
        foreach (var (path, destination) in VirtualServiceDestinations.All(resource.Spec))
        {
            string host = destination.Host;
            if (host.Length == 0)
            {
                continue;
            }
            if (!Names.IsHost(host) || host.Contains('*', StringComparison.Ordinal))
            {
                context.Error(resource, $"{path}.host", $"expected a service host name such as \"reviews\" or \"reviews.prod.svc.cluster.local\" (no wildcards), got \"{host}\"");
            }
        }
    }
}
