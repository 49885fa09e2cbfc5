using Heddle.Config.Model;
using Heddle.Config.Validation;

namespace Heddle.Config.Analysis;

/// <summary>
/// Every VirtualService destination names a service that exists, a port it has, and a subset a DestinationRule
/// for it declares — the mistakes that otherwise show up as 503s (no route, no healthy upstream).
/// </summary>
internal sealed class DestinationCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var virtualService in context.Config.VirtualServices)
        {
            string ns = virtualService.Metadata.Namespace;
            foreach (var (path, destination) in VirtualServiceDestinations.All(virtualService.Spec))
            {
                var service = context.Catalog.Resolve(destination.Host, ns);
                if (service is null)
                {
                    string qualified = HostNames.Qualify(destination.Host, ns);
                    string resolved = qualified == destination.Host ? "" : $" (resolved as {qualified})";
                    context.Error(virtualService, $"{path}.host", $"no Service or ServiceEntry defines host \"{destination.Host}\"{resolved}");
                    continue;
                }
                if (destination.Port is { } port && !service.Ports.IsEmpty && !service.Ports.Any(p => p.Number == port.Number))
                {
                    context.Error(virtualService, $"{path}.port.number",
                        $"{service.Hostname} has no port {port.Number}; its ports are {string.Join(", ", service.Ports.Select(p => p.Number))}");
                }
                if (destination.Subset is { Length: > 0 } subset)
                {
                    CheckSubset(context, virtualService, path, service, subset);
                }
            }
        }
    }

    private static void CheckSubset(AnalysisContext context, VirtualService virtualService, string path, CatalogService service, string subset)
    {
        var rules = context.Catalog.DestinationRulesFor(service.Hostname).ToList();
        if (rules.Any(rule => rule.Spec.Subsets.Any(s => s.Name == subset)))
        {
            return;
        }
        context.Error(virtualService, $"{path}.subset", rules.Count == 0
            ? $"subset \"{subset}\" is not declared: no DestinationRule exists for {service.Hostname}"
            : $"subset \"{subset}\" is not declared by DestinationRule {string.Join(", ", rules.Select(r => $"{r.Metadata.Namespace}/{r.Metadata.Name}"))} for {service.Hostname}");
    }
}
