using System.Globalization;
using Heddle.Config.Model;

namespace Heddle.Config;

/// <summary>
/// Istio's PeerAuthentication inheritance for one workload: a policy whose selector matches the workload (in its
/// namespace), else the namespace's policy without selector, else the mesh's (no selector, root namespace
/// <c>istio-system</c>); UNSET inherits from the next scope, and nothing set means PERMISSIVE. A port listed in the
/// workload policy's portLevelMtls overrides the workload's mode. Among several policies of one scope, the first in
/// configuration order wins (Istio takes the oldest).
/// </summary>
public sealed class PeerAuthenticationPolicy
{
    private PeerAuthenticationPolicy(PeerAuthentication? workloadPolicy, PeerAuthentication? decidedBy, PeerAuthenticationMode mode)
    {
        WorkloadPolicy = workloadPolicy;
        DecidedBy = decidedBy;
        WorkloadMode = mode;
    }

    /// <summary>The mode of the workload's ports that portLevelMtls does not name (never UNSET).</summary>
    public PeerAuthenticationMode WorkloadMode { get; }

    /// <summary>The policy that selects the workload by its labels, if any.</summary>
    public PeerAuthentication? WorkloadPolicy { get; }

    /// <summary>The policy whose mode applies (null: the PERMISSIVE default).</summary>
    public PeerAuthentication? DecidedBy { get; }

    public static PeerAuthenticationPolicy For(IEnumerable<PeerAuthentication> policies, string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        PeerAuthentication? mesh = null, namespaceWide = null, workload = null;
        foreach (var policy in policies)
        {
            var selector = policy.Spec.Selector?.MatchLabels;
            if (selector is null || selector.IsEmpty)
            {
                if (policy.Metadata.Namespace == @namespace)
                {
                    namespaceWide ??= policy;
                }

                if (policy.Metadata.Namespace == PolicyScope.RootNamespace)
                {
                    mesh ??= policy;
                }
            }
            else if (policy.Metadata.Namespace == @namespace && workload is null && LabelSelectors.Matches(selector, labels))
            {
                workload = policy;
            }
        }

        foreach (var candidate in new[] { workload, namespaceWide, mesh })
        {
            if (Set(candidate?.Spec.Mtls?.Mode) is { } mode)
            {
                return new PeerAuthenticationPolicy(workload, candidate, mode);
            }
        }

        return new PeerAuthenticationPolicy(workload, null, PeerAuthenticationMode.Permissive);
    }

    /// <summary>The mode of one workload port (never UNSET).</summary>
    public PeerAuthenticationMode ForPort(int port) =>
        WorkloadPolicy is not null
        && WorkloadPolicy.Spec.PortLevelMtls.TryGetValue(port.ToString(CultureInfo.InvariantCulture), out var portMtls)
        && Set(portMtls.Mode) is { } mode
            ? mode
            : WorkloadMode;

    private static PeerAuthenticationMode? Set(PeerAuthenticationMode? mode) => mode is null or PeerAuthenticationMode.Unset ? null : mode;
}
