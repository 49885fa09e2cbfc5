using System.Net;

namespace Heddle.Proxy.Authorization;

/// <summary>What an authorization decision is about: an HTTP request or a TCP connection, the port it arrived for, and
/// who sent it.</summary>
/// <param name="Request">The request as the inbound listener received it; null for a TCP connection.</param>
/// <param name="DestinationPort">The application port the request or connection is for.</param>
/// <param name="PeerPrincipal">The calling workload's verified identity (<c>cluster.local/ns/NS/sa/SA</c>); null without mTLS.</param>
/// <param name="PeerNamespace">The namespace of <paramref name="PeerPrincipal"/>; null without mTLS.</param>
/// <param name="ServerName">The TLS server name the caller asked for; null without TLS.</param>
/// <param name="Jwt">The request's validated token; null when it carried none (always for TCP).</param>
/// <param name="ConnectionSource">A TCP connection's peer address (a request's comes from its connection).</param>
/// <param name="ConnectionDestination">A TCP connection's local address.</param>
internal readonly record struct AuthorizationInput(
    HttpRequest? Request,
    int DestinationPort,
    string? PeerPrincipal,
    string? PeerNamespace,
    string? ServerName,
    RequestIdentity? Jwt,
    IPAddress? ConnectionSource = null,
    IPAddress? ConnectionDestination = null)
{
    /// <summary>A TCP connection: HTTP-only fields cannot be evaluated (see <see cref="CompiledRule.HttpOnly"/>).</summary>
    public bool IsTcp => Request is null;

    public IPAddress? SourceAddress => Request is null ? ConnectionSource : Request.HttpContext.Connection.RemoteIpAddress;

    public IPAddress? DestinationAddress => Request is null ? ConnectionDestination : Request.HttpContext.Connection.LocalIpAddress;

    /// <summary>The input for a TCP connection to <paramref name="port"/>.</summary>
    public static AuthorizationInput Tcp(int port, string? principal, string? @namespace, string? serverName, IPAddress? source, IPAddress? destination) =>
        new(null, port, principal, @namespace, serverName, null, source, destination);
}

/// <summary>The outcome of the authorization policies for one request or connection.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Policy">The policy that decided a denial (<c>namespace.name</c>), or null when none matched.</param>
/// <param name="Rule">The index of the DENY policy's rule that matched; -1 otherwise.</param>
internal readonly record struct AuthorizationDecision(bool Allowed, string? Policy, int Rule = -1)
{
    public static AuthorizationDecision Allow => new(true, null);

    /// <summary>Envoy's connection termination detail for a denial:
    /// <c>rbac_access_denied_matched_policy[ns[foo]-policy[deny-get]-rule[0]]</c>, or <c>[none]</c> when no ALLOW
    /// policy matched. Built only when the denial is logged.</summary>
    public string Details()
    {
        if (Policy is null)
        {
            return "rbac_access_denied_matched_policy[none]";
        }

        var dot = Policy.IndexOf('.', StringComparison.Ordinal);
        var ns = dot < 0 ? "" : Policy[..dot];
        var name = dot < 0 ? Policy : Policy[(dot + 1)..];
        return "rbac_access_denied_matched_policy[ns[" + ns + "]-policy[" + name + "]-rule[" + Rule.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]]";
    }
}
