using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Heddle.Discovery.V1;

namespace Heddle.Proxy.Security;

/// <summary>
/// The proxy's workload identity: generates a key pair and a signing request (the private key never leaves this
/// object), installs the certificate the control plane answers with, and says when to renew. Handshakes read
/// <see cref="Current"/> each time, so a renewed certificate is used by new connections while existing ones go on.
/// </summary>
internal sealed class WorkloadCertificates : IDisposable
{
    /// <summary>How long to wait before asking again after a refusal.</summary>
    public static readonly TimeSpan RetryAfterRefusal = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly string _requestedId;
    private volatile WorkloadCertificate? _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ECDsa? _pendingKey;
    private string _pendingRequestId = "";
    private long _requests;
    private DateTimeOffset _retryAt;

    public WorkloadCertificates(string trustDomain, string @namespace, string serviceAccount, TimeProvider time)
    {
        _time = time;
        _requestedId = $"spiffe://{trustDomain}/ns/{@namespace}/sa/{serviceAccount}";
    }

    /// <summary>The certificate in use, or null before the first one arrived.</summary>
    public WorkloadCertificate? Current => _current;

    /// <summary>The last reason the control plane gave for not signing (empty when it signed).</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Completes when a certificate is installed or refused.</summary>
    public Task WhenChanged
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>When a signing request should be sent next (now, when there is no certificate yet).</summary>
    public DateTimeOffset RenewalDueAt
    {
        get
        {
            var current = _current;
            var due = current?.RenewAt ?? DateTimeOffset.MinValue;
            return due > _retryAt ? due : _retryAt;
        }
    }

    /// <summary>A new key pair and a signing request for it; a request made earlier and not answered yet is superseded.</summary>
    public CertificateSigningRequest CreateRequest()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(_requestedId));
        request.CertificateExtensions.Add(names.Build(critical: true));
        var der = request.CreateSigningRequest();
        string id;
        lock (_lock)
        {
            _pendingKey?.Dispose();
            _pendingKey = key;
            id = (++_requests).ToString(CultureInfo.InvariantCulture);
            _pendingRequestId = id;
        }

        return new CertificateSigningRequest { Der = ByteString.CopyFrom(der), RequestId = id };
    }

    /// <summary>Installs the answer to the pending request; false with the reason when it cannot be used.</summary>
    public bool Accept(Certificate answer, out string error)
    {
        lock (_lock)
        {
            try
            {
                if (answer.RequestId != _pendingRequestId || _pendingKey is null)
                {
                    error = $"answer to request '{answer.RequestId}', which is not the pending one";
                    return false;
                }

                if (answer.Error.Length > 0 || answer.Chain.Count == 0)
                {
                    error = answer.Error.Length > 0 ? answer.Error : "the control plane sent no certificate";
                    Refused(error);
                    return false;
                }

                using var issued = X509CertificateLoader.LoadCertificate(answer.Chain[0].Span);
                var leaf = issued.CopyWithPrivateKey(_pendingKey);
                var intermediates = new X509Certificate2Collection();
                for (var i = 1; i < answer.Chain.Count; i++)
                {
                    intermediates.Add(X509CertificateLoader.LoadCertificate(answer.Chain[i].Span));
                }

                var bundle = new X509Certificate2Collection();
                foreach (var root in answer.TrustBundle)
                {
                    bundle.Add(X509CertificateLoader.LoadCertificate(root.Span));
                }

                var certificate = new WorkloadCertificate(leaf, intermediates, bundle, _time.GetUtcNow());
                if (certificate.SpiffeId != _requestedId)
                {
                    error = $"the certificate names {certificate.SpiffeId}, not {_requestedId}";
                    Refused(error);
                    return false;
                }

                _pendingKey = null;
                _pendingRequestId = "";
                _retryAt = default;
                LastError = "";
                _current = certificate;
                certificate.Prepare();
                Signal();
                error = "";
                return true;
            }
            catch (CryptographicException e)
            {
                error = "unusable certificate: " + e.Message;
                Refused(error);
                return false;
            }
        }
    }

    private void Refused(string error)
    {
        LastError = error;
        _retryAt = _time.GetUtcNow() + RetryAfterRefusal;
        Signal();
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _pendingKey?.Dispose();
            _pendingKey = null;
        }
    }
}
