using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Heddle.ControlPlane.Security;

/// <summary>
/// The certificate the control plane serves its TLS discovery port with: signed by its own CA (so proxies trust it
/// through the root they were given), named by the DNS names and addresses proxies dial, and renewed at half of its
/// lifetime. Each TLS handshake takes the current one; connections already open keep theirs.
/// </summary>
public sealed class ServingCertificate : IDisposable
{
    /// <summary>The control plane's own identity (as Istio's istiod runs in istio-system).</summary>
    public static readonly WorkloadIdentity Identity = new(WorkloadIdentity.DefaultTrustDomain, "istio-system", "heddle-control-plane");

    /// <summary>Host names in every serving certificate: the control plane's name and the one Istio's tooling uses.</summary>
    public static readonly string[] DnsNames = ["heddle-control-plane", "istiod.istio-system.svc", "localhost"];

    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2];

    private readonly WorkloadCertificateIssuer _issuer;
    private readonly IPAddress[] _addresses;
    private readonly TimeProvider _time;
    private readonly Lock _renewing = new();
    private State _state;

    public ServingCertificate(WorkloadCertificateIssuer issuer, IEnumerable<IPAddress> addresses, TimeProvider time)
    {
        _issuer = issuer;
        _addresses = [.. addresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)).Append(IPAddress.Loopback).Distinct()];
        _time = time;
        _state = Issue();
    }

    /// <summary>The certificate in use (renewed first when half of its lifetime has passed).</summary>
    public X509Certificate2 Current => Fresh().Certificate;

    /// <summary>Server options for one handshake: the current certificate with the CA's intermediates, ALPN h2.</summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = Fresh().Context,
        ApplicationProtocols = Protocols,
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        ClientCertificateRequired = false,
    };

    private State Fresh()
    {
        var state = _state;
        if (_time.GetUtcNow() < state.RenewAt)
        {
            return state;
        }

        lock (_renewing)
        {
            // Handshakes in progress may still hold the old context: it is left to the garbage collector.
            if (_time.GetUtcNow() >= _state.RenewAt)
            {
                _state = Issue();
            }

            return _state;
        }
    }

    private State Issue()
    {
        // The certificate keeps the key: it is not disposed here.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = _issuer.IssueServing(key, DnsNames, _addresses, Identity);
        var context = SslStreamCertificateContext.Create(certificate, [.. _issuer.Authority.Intermediates], offline: true);
        var lifetime = certificate.NotAfter.ToUniversalTime() - certificate.NotBefore.ToUniversalTime();
        return new State(certificate, context, new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) + lifetime / 2);
    }

    public void Dispose() => _state.Certificate.Dispose();

    private sealed record State(X509Certificate2 Certificate, SslStreamCertificateContext Context, DateTimeOffset RenewAt);
}
