using System.Globalization;
using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>A PeerAuthentication's portLevelMtls keys are port numbers, and only a policy with a workload selector may
/// set modes per port (as Istio's validation says).</summary>
internal sealed class PeerAuthenticationRule : ResourceRule<PeerAuthentication>
{
    protected override void Check(PeerAuthentication resource, RuleContext context)
    {
        var spec = resource.Spec;
        if (spec.PortLevelMtls.IsEmpty)
        {
            return;
        }

        if (spec.Selector is null || spec.Selector.MatchLabels.IsEmpty)
        {
            context.Error(resource, "spec.portLevelMtls", "a mesh-wide or namespace-wide PeerAuthentication (no selector.matchLabels) cannot have portLevelMtls");
        }

        foreach (var (key, mtls) in spec.PortLevelMtls)
        {
            var path = FieldPath.Key("spec.portLevelMtls", key);
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                context.Error(resource, path, $"expected a port number between 1 and 65535, got \"{key}\"");
            }
            else if (mtls.Mode is null)
            {
                context.Warning(resource, path, "no mode: the port inherits the workload's mode");
            }
        }
    }
}
