using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>Runs every validation rule over the resources being loaded.</summary>
internal static class ResourceValidator
{
    private static readonly IResourceRule[] Rules =
    [
        new ResourceNameRule(),
        new LabelSyntaxRule(),
        new ExportToRule(),
        new VirtualServiceHostsRule(),
        new HttpRouteActionRule(),
        new HttpMatchRule(),
        new RouteWeightsRule(),
        new RouteDestinationRule(),
        new L4RouteRule(),
        new FaultInjectionRule(),
        new HttpRouteSettingsRule(),
        new DestinationRuleHostRule(),
        new SubsetNamesRule(),
        new TrafficPolicyRule(),
        new ServiceEntryRule(),
        new WorkloadEntryRule(),
        new ServicePortsRule(),
        new LocalWorkloadRule(),
        new AuthorizationPolicyRule(),
        new RequestAuthenticationRule(),
        new MeshConfigRule(),
        new PeerAuthenticationRule(),
        new TelemetryRule(),
        new MeshTelemetryRule(),
    ];

    /// <summary>Checks <paramref name="resources"/>; the returned context says which were rejected.</summary>
    public static RuleContext Validate(IReadOnlyList<Resource> resources)
    {
        var context = new RuleContext(resources);
        DuplicateResourceRule.Check(context);
        foreach (var resource in resources)
        {
            foreach (var rule in Rules)
            {
                rule.Check(resource, context);
            }
        }
        return context;
    }
}
