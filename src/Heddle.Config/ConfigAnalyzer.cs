using Heddle.Config.Analysis;
using Heddle.Config.Model;

namespace Heddle.Config;

/// <summary>Finds problems between resources: references to hosts, subsets and ports that do not exist, conflicts, unused selectors.</summary>
public static class ConfigAnalyzer
{
    private static readonly IConfigCheck[] Checks =
    [
        new DestinationCheck(),
        new DelegateCheck(),
        new ConflictingVirtualServicesCheck(),
        new DestinationRuleHostCheck(),
        new ServiceSelectorCheck(),
        new SubsetSelectorCheck(),
        new TargetPortCheck(),
        new ReadinessProbePortCheck(),
        new MutualTlsConflictCheck(),
        new AuthorizationPolicyMatchCheck(),
        new ExtensionProviderCheck(),
    ];

    /// <summary>Cross-reference problems in <paramref name="config"/>; problems the loader reports are not repeated.</summary>
    public static ImmutableArray<Diagnostic> Analyze(ConfigSet config)
    {
        var context = new AnalysisContext(config);
        foreach (var check in Checks)
        {
            check.Check(context);
        }
        return [.. context.Diagnostics
            .Select((d, index) => (Diagnostic: d, Index: index))
            .OrderBy(x => x.Diagnostic.File, StringComparer.Ordinal)
            .ThenBy(x => x.Diagnostic.Line)
            .ThenBy(x => x.Index)
            .Select(x => x.Diagnostic)];
    }
}
