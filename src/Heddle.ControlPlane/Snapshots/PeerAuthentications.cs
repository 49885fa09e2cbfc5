using System.Collections.Immutable;
using System.Globalization;
using Heddle.Config.Model;
using ProtoMode = Heddle.Discovery.V1.PeerAuthenticationMode;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>
/// Istio's PeerAuthentication inheritance for one workload: a policy whose selector matches the workload (in its
/// namespace), else the namespace's policy without selector, else the mesh's (no selector, root namespace
/// <c>istio-system</c>); UNSET inherits from the next scope, and nothing set means PERMISSIVE. A port listed in the
/// workload policy's portLevelMtls overrides the workload's mode. Among several policies of one scope, the first in
/// configuration order wins (Istio takes the oldest).
/// </summary>
internal sealed class PeerAuthentications
{
    /// <summary>Istio's default root namespace: policies there without selector apply to the whole mesh.</summary>
    public const string RootNamespace = "istio-system";

    private readonly PeerAuthentication? _workloadPolicy;

    private PeerAuthentications(PeerAuthentication? workloadPolicy, ProtoMode workloadMode)
    {
        _workloadPolicy = workloadPolicy;
        WorkloadMode = workloadMode;
    }

    /// <summary>The mode of the workload's ports that portLevelMtls does not name.</summary>
    public ProtoMode WorkloadMode { get; }

    public static PeerAuthentications For(ImmutableArray<PeerAuthentication> policies, string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        PeerAuthentication? mesh = null, namespaceWide = null, workload = null;
        foreach (var policy in policies)
        {
            var selector = policy.Spec.Selector?.MatchLabels;
            var hasSelector = selector is { IsEmpty: false };
            if (!hasSelector)
            {
                if (policy.Metadata.Namespace == @namespace)
                {
                    namespaceWide ??= policy;
                }

                if (policy.Metadata.Namespace == RootNamespace)
                {
                    mesh ??= policy;
                }
            }
            else if (policy.Metadata.Namespace == @namespace && workload is null && Labels.Match(selector!, labels))
            {
                workload = policy;
            }
        }

        var mode = Set(workload?.Spec.Mtls?.Mode) ?? Set(namespaceWide?.Spec.Mtls?.Mode) ?? Set(mesh?.Spec.Mtls?.Mode) ?? PeerAuthenticationMode.Permissive;
        return new PeerAuthentications(workload, Map(mode));
    }

    /// <summary>The mode of one workload port.</summary>
    public ProtoMode ForPort(int port)
    {
        if (_workloadPolicy is not null
            && _workloadPolicy.Spec.PortLevelMtls.TryGetValue(port.ToString(CultureInfo.InvariantCulture), out var portMtls)
            && Set(portMtls.Mode) is { } mode)
        {
            return Map(mode);
        }

        return WorkloadMode;
    }

    private static PeerAuthenticationMode? Set(PeerAuthenticationMode? mode) => mode is null or PeerAuthenticationMode.Unset ? null : mode;

    private static ProtoMode Map(PeerAuthenticationMode mode) => mode switch
    {
        PeerAuthenticationMode.Strict => ProtoMode.PeerAuthenticationStrict,
        PeerAuthenticationMode.Disable => ProtoMode.PeerAuthenticationDisable,
        _ => ProtoMode.PeerAuthenticationPermissive,
    };
}
