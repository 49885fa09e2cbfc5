using Heddle.Discovery.V1;

namespace Heddle.Proxy.Security;

/// <summary>Whether a request's connection satisfies a port's peer authentication mode: STRICT needs a mutual-TLS
/// peer. (DISABLE is enforced per connection, when every port of the workload is DISABLE: sidecars share one
/// connection per peer for all ports, so a request to a DISABLE port may arrive on a connection that carries mutual
/// TLS for another port, and is served.)</summary>
internal static class PeerAuthentication
{
    public static bool Admits(PeerAuthenticationMode mode, HttpContext context) =>
        mode != PeerAuthenticationMode.PeerAuthenticationStrict || context.Features.Get<PeerIdentity>() is not null;
}
