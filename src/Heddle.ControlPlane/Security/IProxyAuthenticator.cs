using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Security;

/// <summary>Decides which identity a connected proxy has proven (with <see cref="Node.Token"/>): the only identity the
/// certificate authority signs for it. One implementation per kind of proof (local mesh tokens, later Kubernetes
/// service-account tokens or VM join tokens).</summary>
public interface IProxyAuthenticator
{
    /// <summary>The proven identity, or null with the reason when the proxy proved nothing.</summary>
    AuthenticationResult Authenticate(Node node);
}

/// <summary>The outcome of <see cref="IProxyAuthenticator.Authenticate"/>: an identity, or why there is none.</summary>
public readonly record struct AuthenticationResult(WorkloadIdentity? Identity, string? Error)
{
    public static AuthenticationResult Success(WorkloadIdentity identity) => new(identity, null);

    public static AuthenticationResult Failure(string error) => new(null, error);
}
