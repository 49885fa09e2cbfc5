using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The mesh-wide settings every proxy receives, from the configuration's MeshConfig.</summary>
internal static class ProxySettingsBuilder
{
    public static ProxySettings For(ConfigSet config) => new()
    {
        OutboundTrafficPolicy = config.OutboundTrafficPolicy == OutboundTrafficPolicyMode.RegistryOnly
            ? ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly
            : ProxySettings.Types.OutboundTrafficPolicy.AllowAny,
    };
}
