using Heddle.Discovery.V1;

namespace Heddle.Proxy.Security;

/// <summary>Whether a request's connection satisfies a port's peer authentication mode: STRICT needs a mutual-TLS
/// peer. (DISABLE is enforced per connection, when every port of the workload is DISABLE: a Heddle client sidecar
/// sends a DISABLE port's requests on plaintext connections of their own, but another client's mutual-TLS connection
/// admitted for one port may carry a request for a DISABLE port, and it is served.)</summary>
internal static class PeerAuthentication
{
    public static bool Admits(PeerAuthenticationMode mode, PeerIdentity? peer) =>
        mode != PeerAuthenticationMode.PeerAuthenticationStrict || peer is not null;

    public static bool Admits(PeerAuthenticationMode mode, HttpContext context) => Admits(mode, context.Features.Get<PeerIdentity>());
}
