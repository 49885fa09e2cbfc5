using Heddle.Config;
using System.Collections.Immutable;
using Heddle.Config.Model;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The VirtualService and DestinationRule that apply to each service, as seen from one proxy: the rule must be
/// visible to the proxy (exportTo) and meant for sidecars; when several name the same host one wins by
/// <see cref="ProxyContext.Precedence"/>.</summary>
internal sealed class RuleSelection
{
    private readonly Dictionary<string, (VirtualService Rule, int Precedence)> _virtualServices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DestinationRule Rule, int Precedence)> _destinationRules = new(StringComparer.Ordinal);

    public RuleSelection(EndpointCatalog catalog, ProxyContext proxy)
    {
        foreach (var virtualService in catalog.Config.VirtualServices)
        {
            var spec = virtualService.Spec;
            var @namespace = virtualService.Metadata.Namespace;
            if (!AppliesToSidecars(spec.Gateways) || !proxy.CanSee(spec.ExportTo, @namespace))
            {
                continue;
            }

            foreach (var host in spec.Hosts)
            {
                if (catalog.Resolve(host, @namespace) is { } service)
                {
                    Offer(_virtualServices, service, virtualService, proxy.Precedence(@namespace, service.Namespace));
                }
            }
        }

        foreach (var destinationRule in catalog.Config.DestinationRules)
        {
            var spec = destinationRule.Spec;
            var @namespace = destinationRule.Metadata.Namespace;
            if (!proxy.CanSee(spec.ExportTo, @namespace)
                || (spec.WorkloadSelector is { } selector && (@namespace != proxy.Namespace || !LabelSelectors.Matches(selector.MatchLabels, proxy.Labels))))
            {
                continue;
            }

            if (catalog.Resolve(spec.Host, @namespace) is { } service)
            {
                Offer(_destinationRules, service, destinationRule, proxy.Precedence(@namespace, service.Namespace));
            }
        }
    }

    public VirtualService? VirtualServiceFor(MeshService service) =>
        _virtualServices.TryGetValue(service.Hostname, out var chosen) ? chosen.Rule : null;

    public DestinationRule? DestinationRuleFor(MeshService service) =>
        _destinationRules.TryGetValue(service.Hostname, out var chosen) ? chosen.Rule : null;

    /// <summary>"mesh" (every sidecar) is the default when no gateway is named.</summary>
    public static bool AppliesToSidecars(ImmutableArray<string> gateways) => gateways.IsEmpty || gateways.Contains("mesh");

    private static void Offer<T>(Dictionary<string, (T Rule, int Precedence)> chosen, MeshService service, T rule, int precedence)
    {
        if (!chosen.TryGetValue(service.Hostname, out var current) || precedence < current.Precedence)
        {
            chosen[service.Hostname] = (rule, precedence);
        }
    }
}
