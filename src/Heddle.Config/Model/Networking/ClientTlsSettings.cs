namespace Heddle.Config.Model;

/// <summary>TLS settings for connections to a destination.</summary>
public sealed record ClientTlsSettings
{
    /// <summary>Whether and how TLS is used.</summary>
    public TlsMode? Mode { get; init; }

    /// <summary>Client certificate file (MUTUAL).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>Client private key file (MUTUAL).</summary>
    public string? PrivateKey { get; init; }

    /// <summary>CA certificates file to verify the server.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>Name of a secret holding certificate, key and CA.</summary>
    public string? CredentialName { get; init; }

    /// <summary>Accepted server identities.</summary>
    public ImmutableArray<string> SubjectAltNames { get; init; } = [];

    /// <summary>SNI sent to the server.</summary>
    public string? Sni { get; init; }

    /// <summary>Skip server certificate verification.</summary>
    public bool? InsecureSkipVerify { get; init; }

    /// <summary>Certificate revocation list file.</summary>
    public string? CaCrl { get; init; }
}
