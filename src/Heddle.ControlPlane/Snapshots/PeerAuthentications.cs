using System.Collections.Immutable;
using Heddle.Config;
using Heddle.Config.Model;
using ProtoMode = Heddle.Discovery.V1.PeerAuthenticationMode;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>The peer authentication of one workload (the configuration library's <see cref="PeerAuthenticationPolicy"/>)
/// in the discovery protocol's terms.</summary>
internal sealed class PeerAuthentications
{
    private readonly PeerAuthenticationPolicy _policy;

    private PeerAuthentications(PeerAuthenticationPolicy policy) => _policy = policy;

    /// <summary>The mode of the workload's ports that portLevelMtls does not name.</summary>
    public ProtoMode WorkloadMode => Map(_policy.WorkloadMode);

    public static PeerAuthentications For(ImmutableArray<PeerAuthentication> policies, string @namespace, IReadOnlyDictionary<string, string> labels) =>
        new(PeerAuthenticationPolicy.For(policies, @namespace, labels));

    /// <summary>The mode of one workload port.</summary>
    public ProtoMode ForPort(int port) => Map(_policy.ForPort(port));

    private static ProtoMode Map(PeerAuthenticationMode mode) => mode switch
    {
        PeerAuthenticationMode.Strict => ProtoMode.PeerAuthenticationStrict,
        PeerAuthenticationMode.Disable => ProtoMode.PeerAuthenticationDisable,
        _ => ProtoMode.PeerAuthenticationPermissive,
    };
}
