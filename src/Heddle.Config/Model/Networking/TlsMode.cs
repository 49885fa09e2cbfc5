namespace Heddle.Config.Model;

/// <summary>TLS modes towards a destination.</summary>
public enum TlsMode
{
    /// <summary>Plain text.</summary>
    Disable,

    /// <summary>TLS, server authenticated.</summary>
    Simple,

    /// <summary>Mutual TLS with given certificates.</summary>
    Mutual,

    /// <summary>Mutual TLS with mesh identities.</summary>
    IstioMutual,
}
