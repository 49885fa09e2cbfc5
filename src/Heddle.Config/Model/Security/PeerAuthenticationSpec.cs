namespace Heddle.Config.Model;

/// <summary>The workloads a PeerAuthentication applies to and the mutual TLS mode, overall and per port.</summary>
public sealed record PeerAuthenticationSpec
{
    /// <summary>The workloads of the policy's namespace it applies to; absent: the whole namespace (the whole mesh in
    /// the root namespace).</summary>
    public WorkloadMatchSelector? Selector { get; init; }

    /// <summary>The mode for every port.</summary>
    public PeerAuthenticationMutualTls? Mtls { get; init; }

    /// <summary>Modes per workload port number (needs a selector).</summary>
    public ImmutableSortedDictionary<string, PeerAuthenticationMutualTls> PortLevelMtls { get; init; } =
        ImmutableSortedDictionary.Create<string, PeerAuthenticationMutualTls>(StringComparer.Ordinal);
}
