using System.Net;

namespace Heddle.ControlPlane;

/// <summary>Where the control plane reads its configuration and where it listens.</summary>
public sealed record ControlPlaneOptions
{
    /// <summary>The directory of YAML files served (watched; saved changes reach the proxies within a second).</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>The discovery server: gRPC over cleartext HTTP/2 (h2c).</summary>
    public IPEndPoint DiscoveryEndpoint { get; init; } = new(IPAddress.Loopback, 15010);

    /// <summary>The discovery server over TLS (gRPC, HTTP/2 with ALPN h2), served with a certificate of the control
    /// plane's own CA; null: no TLS port. Proxies given the CA's root (<c>--discovery-root-cert</c>) verify it.</summary>
    public IPEndPoint? SecureDiscoveryEndpoint { get; init; }

    /// <summary>The monitoring server (HTTP/1.1): <c>/ready</c>, <c>/debug/proxies</c>, <c>/debug/config</c>.</summary>
    public IPEndPoint MonitoringEndpoint { get; init; } = new(IPAddress.Loopback, 15014);

    /// <summary>Where the pods the control plane knows are saved, so that a restart keeps every endpoint while the
    /// proxies reconnect; null keeps them in memory only.</summary>
    public string? RegistryFile { get; init; }

    /// <summary>Where the certificate authority keeps its root (generated there at first start) or finds a plug-in CA
    /// (<c>ca-cert.pem</c>, <c>ca-key.pem</c>, <c>root-cert.pem</c>, <c>cert-chain.pem</c>); null: a root that lives
    /// only as long as the process.</summary>
    public string? CaDirectory { get; init; }

    /// <summary>The local mesh's tokens file (<c>&lt;token&gt; &lt;namespace&gt; &lt;service account&gt;</c> per line)
    /// that proxies prove their identity with; null: a proxy's Node is believed (see <see cref="Security.NodeClaimAuthenticator"/>).</summary>
    public string? TokensFile { get; init; }

    /// <summary>How long workload certificates are valid (proxies renew them at half of it).</summary>
    public TimeSpan WorkloadCertificateLifetime { get; init; } = Security.WorkloadCertificateIssuer.DefaultLifetime;

    /// <summary>The clock of the debouncers and the configuration rescan.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
