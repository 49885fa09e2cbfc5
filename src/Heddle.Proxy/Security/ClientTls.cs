using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Security;

/// <summary>How to originate TLS towards one next hop, from a cluster's <see cref="TlsSettings"/>.</summary>
internal sealed class ClientTls
{
    private static readonly List<SslApplicationProtocol> Http2Only = [SslApplicationProtocol.Http2];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];

    private readonly TlsSettings _settings;
    private readonly ILogger _logger;
    private readonly HashSet<string> _subjectAltNames = new(StringComparer.Ordinal);
    private readonly Lazy<FileCredentials> _files;

    public ClientTls(TlsSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        _subjectAltNames.UnionWith(settings.SubjectAltNames);
        _files = new Lazy<FileCredentials>(() => FileCredentials.Load(settings));
    }

    public TlsSettings.Types.Mode Mode => _settings.Mode;

    /// <summary>Whether a connection secured under <paramref name="secured"/> may carry requests that want
    /// <paramref name="wanted"/>: the same settings and accepted identities. A new snapshot that leaves a hop's TLS as it
    /// was keeps its pooled connections, instead of handshaking them all again.</summary>
    public static bool SameRequirements(ClientTls? secured, ClientTls? wanted) =>
        ReferenceEquals(secured, wanted)
        || (secured is not null && wanted is not null && secured._settings.Equals(wanted._settings)
            && secured._subjectAltNames.SetEquals(wanted._subjectAltNames));

    /// <summary>Another cluster reaches the same hop with mesh identities: its service accounts are accepted too.</summary>
    public void Merge(TlsSettings other)
    {
        if (other.Mode == _settings.Mode && _subjectAltNames.Count > 0)
        {
            if (other.SubjectAltNames.Count == 0)
            {
                _subjectAltNames.Clear();
            }
            else
            {
                _subjectAltNames.UnionWith(other.SubjectAltNames);
            }
        }
    }

    public string Describe() => _settings.Mode + (_subjectAltNames.Count > 0 ? " expecting " + string.Join(", ", _subjectAltNames) : "");

    public SslClientAuthenticationOptions CreateOptions(WorkloadCertificate? workload, string host, bool http2)
    {
        var validation = new ServerValidation(this);
        var options = new SslClientAuthenticationOptions
        {
            ApplicationProtocols = http2 ? Http2Only : Http11Only,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = validation.Validate,
        };
        if (_settings.Mode == TlsSettings.Types.Mode.IstioMutual)
        {
            if (workload is null)
            {
                throw new InvalidOperationException("mutual TLS needs the workload certificate, which has not arrived yet");
            }

            options.TargetHost = _settings.Sni;
            options.ClientCertificateContext = workload.Context;
            options.CertificateChainPolicy = workload.CreateChainPolicy();
            return options;
        }

        options.TargetHost = _settings.Sni.Length > 0 ? _settings.Sni : host;
        var files = _files.Value;
        if (files.Client is not null)
        {
            options.ClientCertificateContext = files.Client;
        }

        if (files.TrustedRoots is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(files.TrustedRoots);
            options.CertificateChainPolicy = policy;
        }

        return options;
    }

    /// <summary>Per handshake: the server's chain and name (secure naming for mesh identities).</summary>
    private sealed class ServerValidation(ClientTls tls)
    {
        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            var settings = tls._settings;
            if (settings.InsecureSkipVerify)
            {
                return true;
            }

            if (certificate is null)
            {
                return Fail("the server sent no certificate");
            }

            var expected = tls._subjectAltNames;
            if (settings.Mode == TlsSettings.Types.Mode.IstioMutual || expected.Count > 0)
            {
                // Names are checked against subjectAltNames below, not against the host.
                if ((errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) != SslPolicyErrors.None)
                {
                    return Fail("the server certificate is not trusted (" + errors + ")");
                }

                foreach (var (isUri, name) in SubjectAltNames.Read(certificate))
                {
                    if (settings.Mode == TlsSettings.Types.Mode.IstioMutual)
                    {
                        if (isUri && name.StartsWith("spiffe://", StringComparison.Ordinal) && (expected.Count == 0 || expected.Contains(name)))
                        {
                            return true;
                        }
                    }
                    else if (expected.Contains(name))
                    {
                        return true;
                    }
                }

                return Fail("the server's identity is not one of " + (expected.Count == 0 ? "the mesh's" : string.Join(", ", expected)) + " (secure naming)");
            }

            return errors == SslPolicyErrors.None || Fail("the server certificate is not valid for this destination (" + errors + ")");
        }

        private bool Fail(string reason)
        {
            SecurityLog.ServerRejected(tls._logger, reason);
            return false;
        }
    }

    /// <summary>SIMPLE and MUTUAL: the files a DestinationRule names, read on first use.</summary>
    private sealed record FileCredentials(SslStreamCertificateContext? Client, X509Certificate2Collection? TrustedRoots)
    {
        public static FileCredentials Load(TlsSettings settings)
        {
            X509Certificate2Collection? roots = null;
            if (settings.CaCertificates.Length > 0)
            {
                roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(settings.CaCertificates);
            }

            SslStreamCertificateContext? client = null;
            if (settings.Mode == TlsSettings.Types.Mode.Mutual && settings.ClientCertificate.Length > 0)
            {
                try
                {
                    var certificate = X509Certificate2.CreateFromPemFile(settings.ClientCertificate, settings.PrivateKey.Length > 0 ? settings.PrivateKey : null);
                    client = SslStreamCertificateContext.Create(certificate, null, offline: true);
                }
                catch (CryptographicException e)
                {
                    throw new InvalidOperationException($"cannot read {settings.ClientCertificate}: {e.Message}", e);
                }
            }

            return new FileCredentials(client, roots);
        }
    }
}
