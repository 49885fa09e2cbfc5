using System.Collections.Immutable;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>A service of the registry, whatever defined it (a Kubernetes Service or one host of a ServiceEntry),
/// with its ports and each port's endpoints.</summary>
/// <param name="Hostname">Lower-case FQDN for a Kubernetes Service, the host as written for a ServiceEntry.</param>
/// <param name="KubernetesName">The Service's name when a Kubernetes Service defines it (its domains get the short forms).</param>
internal sealed record MeshService(
    string Hostname,
    string Namespace,
    string? KubernetesName,
    ImmutableArray<MeshServicePort> Ports,
    LoadBalancerPolicy DefaultLoadBalancer)
{
    /// <summary>The SPIFFE ids of the service accounts that run the service (secure naming), sorted; empty when unknown.</summary>
    public ImmutableArray<string> Identities { get; init; } = [];

    /// <summary>Namespaces whose proxies see the service (a ServiceEntry's <c>exportTo</c>); empty: every namespace.</summary>
    public ImmutableArray<string> ExportTo { get; init; } = [];

    public MeshServicePort? FindPort(int number)
    {
        foreach (var port in Ports)
        {
            if (port.Number == number)
            {
                return port;
            }
        }

        return null;
    }
}

/// <summary>One port of a <see cref="MeshService"/> and the endpoints behind it (port numbers already resolved to the
/// workload's own port).</summary>
internal sealed record MeshServicePort(int Number, string Name, Protocol Protocol, ImmutableArray<Endpoint> Endpoints);
