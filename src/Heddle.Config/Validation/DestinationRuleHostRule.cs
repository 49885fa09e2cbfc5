using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A DestinationRule's host is a host name (a wildcard prefix is allowed, as in Istio).</summary>
internal sealed class DestinationRuleHostRule : ResourceRule<DestinationRule>
{
    protected override void Check(DestinationRule resource, RuleContext context)
    {
        string host = resource.Spec.Host;
        if (host.Length > 0 && !Names.IsHost(host))
        {
            context.Error(resource, "spec.host", $"expected a host name such as \"reviews\" or \"reviews.prod.svc.cluster.local\", got \"{host}\"");
        }
    }
}
