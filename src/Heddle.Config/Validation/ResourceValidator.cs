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

    /// <summary>
    /// Runs the per-resource rules over resources that had binding errors (they are never accepted), so that one run
    /// reports their other mistakes too. A field that failed to bind is left unset, so a rule's finding at or under a
    /// path the binder already reported is dropped, and a rule that trips over a missing field reports nothing.
    /// </summary>
    public static List<Diagnostic> ValidateBroken(IReadOnlyList<(Resource Resource, IReadOnlyList<Diagnostic> BindingProblems)> broken, IReadOnlyList<Resource> loaded)
    {
        var found = new List<Diagnostic>();
        foreach (var (resource, bindingProblems) in broken)
        {
            var context = new RuleContext(loaded);
            foreach (var rule in Rules)
            {
                try
                {
                    rule.Check(resource, context);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A field the rule needs did not bind; the binder's error already says why.
                }
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (!Overlaps(diagnostic, bindingProblems))
                {
                    found.Add(diagnostic);
                }
            }
        }

        return found;
    }

    private static bool Overlaps(Diagnostic diagnostic, IReadOnlyList<Diagnostic> bindingProblems)
    {
        foreach (var problem in bindingProblems)
        {
            if (problem.Path.Length == 0 || Related(diagnostic.Path, problem.Path) || Related(WithoutLastIndex(diagnostic.Path), WithoutLastIndex(problem.Path)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Related(string a, string b) => a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal);

    /// <summary>"spec.http[0].route[1].weight" becomes "spec.http[0].route.weight": a rule about a list (the weights of
    /// a route) and the element that did not bind point at different items of the same list.</summary>
    private static string WithoutLastIndex(string path)
    {
        var open = path.LastIndexOf('[');
        var close = open < 0 ? -1 : path.IndexOf(']', open);
        return close < 0 ? path : string.Concat(path.AsSpan(0, open), path.AsSpan(close + 1));
    }
}
