namespace Heddle.Config.Model;

/// <summary>Mutual TLS modes of a PeerAuthentication.</summary>
public enum PeerAuthenticationMode
{
    /// <summary>Inherit from the parent scope (workload → namespace → mesh); PERMISSIVE when nothing sets a mode.</summary>
    Unset,

    /// <summary>Plaintext only.</summary>
    Disable,

    /// <summary>Mutual TLS and plaintext.</summary>
    Permissive,

    /// <summary>Mutual TLS only.</summary>
    Strict,
}
