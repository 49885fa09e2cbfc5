using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Security;

/// <summary>Answers the certificate signing requests that proxies send on their discovery stream: signs only for the
/// identity the proxy proved, and only when that is also the identity its Node claims.</summary>
public sealed partial class CertificateSigning(WorkloadCertificateIssuer issuer, IProxyAuthenticator authenticator, ILogger<CertificateSigning> logger)
{
    /// <summary>The name of the resource that carries the answer.</summary>
    public const string ResourceName = "certificate";

    public WorkloadCertificateIssuer Issuer { get; } = issuer;

    /// <summary>Answers the request's signing request, if it carries one, on <paramref name="responses"/>.</summary>
    public async Task AnswerAsync(Node node, DiscoveryRequest request, IAsyncStreamWriter<DiscoveryResponse> responses, CancellationToken cancellationToken)
    {
        if (request.CertificateSigningRequest is not { } signingRequest)
        {
            return;
        }

        var answer = Sign(node, signingRequest);
        var response = new DiscoveryResponse();
        response.Upserted.Add(new Resource { Name = ResourceName, Certificate = answer });
        await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The certificate for one signing request, or the reason there is none.</summary>
    public Certificate Sign(Node node, CertificateSigningRequest signingRequest)
    {
        var answer = new Certificate { RequestId = signingRequest.RequestId };
        if (!TryProve(node, out var identity, out var error))
        {
            answer.Error = error;
            LogRefused(logger, node.Id, answer.Error);
            return answer;
        }

        try
        {
            using var certificate = Issuer.Issue(signingRequest.Der.Span, identity);
            answer.Chain.Add(ByteString.CopyFrom(certificate.RawData));
            foreach (var intermediate in Issuer.Authority.Intermediates)
            {
                answer.Chain.Add(ByteString.CopyFrom(intermediate.RawData));
            }

            foreach (var root in Issuer.Authority.Roots)
            {
                answer.TrustBundle.Add(ByteString.CopyFrom(root.RawData));
            }

            LogSigned(logger, node.Id, identity.SpiffeId, certificate.SerialNumber, certificate.NotAfter.ToUniversalTime());
        }
        catch (CryptographicException e)
        {
            answer.Error = "bad certificate signing request: " + e.Message;
            LogRefused(logger, node.Id, answer.Error);
        }

        return answer;
    }

    /// <summary>Whether the proxy proved the identity its Node claims (its namespace and service account).</summary>
    public bool TryProve(Node node, [NotNullWhen(true)] out WorkloadIdentity? identity, [NotNullWhen(false)] out string? error)
    {
        var authentication = authenticator.Authenticate(node);
        identity = authentication.Identity;
        if (identity is null)
        {
            error = authentication.Error ?? "not authenticated";
            return false;
        }

        var claimedNamespace = ConnectedPod.FromNode(node, WorkloadHealth.Unknown).Namespace;
        var claimedAccount = string.IsNullOrEmpty(node.ServiceAccount) ? "default" : node.ServiceAccount;
        if (identity.Namespace != claimedNamespace || identity.ServiceAccount != claimedAccount)
        {
            error = $"the proxy's token proves namespace '{identity.Namespace}' service account '{identity.ServiceAccount}', but its node claims namespace '{claimedNamespace}' service account '{claimedAccount}'";
            identity = null;
            return false;
        }

        error = null;
        return true;
    }

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "certificate authority: {Origin} {Directory}; root {Subject}, SHA-256 {Fingerprint}")]
    internal static partial void LogAuthority(ILogger logger, string origin, string directory, string subject, string fingerprint);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "no proxy tokens file: workload certificates are signed for whatever identity a proxy claims; use --tokens-file where untrusted processes can reach the control plane")]
    internal static partial void LogClaimsBelieved(ILogger logger);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "signed a certificate for {Proxy}: {SpiffeId}, serial {Serial}, valid until {NotAfter:o}")]
    private static partial void LogSigned(ILogger logger, string proxy, string spiffeId, string serial, DateTime notAfter);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "refused to sign a certificate for {Proxy}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string proxy, string reason);
}
