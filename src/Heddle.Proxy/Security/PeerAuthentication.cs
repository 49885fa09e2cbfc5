using Heddle.Discovery.V1;

namespace Heddle.Proxy.Security;

/// <summary>Whether a request's connection satisfies a port's peer authentication mode.</summary>
internal static class PeerAuthentication
{
    public static bool Admits(PeerAuthenticationMode mode, HttpContext context) => mode switch
    {
        PeerAuthenticationMode.PeerAuthenticationStrict => context.Features.Get<PeerIdentity>() is not null,
        PeerAuthenticationMode.PeerAuthenticationDisable => context.Features.Get<PeerIdentity>() is null,
        _ => true,
    };
}
