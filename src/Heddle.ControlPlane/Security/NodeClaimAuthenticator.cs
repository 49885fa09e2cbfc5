using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Security;

/// <summary>Believes the namespace and service account a proxy's Node claims. Only for a control plane that no
/// untrusted process can reach (tests, a single-user machine without a tokens file): it proves nothing.</summary>
public sealed class NodeClaimAuthenticator(string trustDomain = WorkloadIdentity.DefaultTrustDomain) : IProxyAuthenticator
{
    public AuthenticationResult Authenticate(Node node)
    {
        var @namespace = string.IsNullOrEmpty(node.Namespace) ? "default" : node.Namespace;
        var serviceAccount = string.IsNullOrEmpty(node.ServiceAccount) ? "default" : node.ServiceAccount;
        return AuthenticationResult.Success(new WorkloadIdentity(trustDomain, @namespace, serviceAccount));
    }
}
