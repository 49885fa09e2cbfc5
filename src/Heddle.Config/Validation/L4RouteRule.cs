using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>TCP and TLS routes need at least one destination.</summary>
internal sealed class L4RouteRule : ResourceRule<VirtualService>
{
    protected override void Check(VirtualService resource, RuleContext context)
    {
        for (int i = 0; i < resource.Spec.Tcp.Length; i++)
        {
            if (resource.Spec.Tcp[i].Route.IsEmpty)
            {
                context.Error(resource, $"spec.tcp[{i}].route", "a TCP route needs at least one destination");
            }
        }
        for (int i = 0; i < resource.Spec.Tls.Length; i++)
        {
            if (resource.Spec.Tls[i].Route.IsEmpty)
            {
                context.Error(resource, $"spec.tls[{i}].route", "a TLS route needs at least one destination");
            }
        }
    }
}
