using System.Net;

namespace Heddle.Proxy.Authorization;

/// <summary>What an authorization decision is about: the request, the port it arrived for, and who sent it.</summary>
/// <param name="Request">The request as the inbound listener received it.</param>
/// <param name="DestinationPort">The application port the request is for.</param>
/// <param name="PeerPrincipal">The calling workload's verified identity (<c>cluster.local/ns/NS/sa/SA</c>); null without mTLS.</param>
/// <param name="PeerNamespace">The namespace of <paramref name="PeerPrincipal"/>; null without mTLS.</param>
/// <param name="ServerName">The TLS server name the caller asked for; null without TLS.</param>
/// <param name="Jwt">The request's validated token; null when it carried none.</param>
internal readonly record struct AuthorizationInput(
    HttpRequest Request,
    int DestinationPort,
    string? PeerPrincipal,
    string? PeerNamespace,
    string? ServerName,
    RequestIdentity? Jwt)
{
    public IPAddress? SourceAddress => Request.HttpContext.Connection.RemoteIpAddress;

    public IPAddress? DestinationAddress => Request.HttpContext.Connection.LocalIpAddress;
}

/// <summary>The outcome of the authorization policies for one request.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Policy">The policy that decided a denial (<c>namespace.name</c>), or null when none matched.</param>
internal readonly record struct AuthorizationDecision(bool Allowed, string? Policy)
{
    public static AuthorizationDecision Allow => new(true, null);
}
