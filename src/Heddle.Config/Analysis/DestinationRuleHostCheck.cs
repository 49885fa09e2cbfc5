namespace Heddle.Config.Analysis;

/// <summary>A DestinationRule for a host no service defines has no effect.</summary>
internal sealed class DestinationRuleHostCheck : IConfigCheck
{
    public void Check(AnalysisContext context)
    {
        foreach (var rule in context.Config.DestinationRules)
        {
            string host = rule.Spec.Host;
            if (host.StartsWith('*') || context.Catalog.Resolve(host, rule.Metadata.Namespace) is not null)
            {
                continue;
            }
            string qualified = HostNames.Qualify(host, rule.Metadata.Namespace);
            string resolved = qualified == host ? "" : $" (resolved as {qualified})";
            context.Warning(rule, "spec.host", $"no Service or ServiceEntry defines host \"{host}\"{resolved}; the rule has no effect");
        }
    }
}
