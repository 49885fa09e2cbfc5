using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>
/// A cluster's client TLS: the most specific DestinationRule <c>tls</c> (the subset's port-level, the subset's, the
/// rule's port-level, the rule's); without one, automatic mutual TLS for a Kubernetes Service (endpoints fronted by a
/// sidecar get ISTIO_MUTUAL, the others plaintext). ISTIO_MUTUAL checks the server against the service's identities
/// unless the rule lists subjectAltNames.
/// </summary>
internal static class ClusterTls
{
    public static TlsSettings? For(MeshService service, int port, TrafficPolicy? rulePolicy, TrafficPolicy? subsetPolicy)
    {
        var configured = Find(subsetPolicy, port) ?? Find(rulePolicy, port);
        if (configured is null)
        {
            if (service.KubernetesName is null)
            {
                return null;
            }

            var automatic = new TlsSettings { Mode = TlsSettings.Types.Mode.IstioMutual, Automatic = true };
            automatic.SubjectAltNames.Add(service.Identities);
            return automatic;
        }

        var mode = configured.Mode switch
        {
            TlsMode.IstioMutual => TlsSettings.Types.Mode.IstioMutual,
            TlsMode.Simple => TlsSettings.Types.Mode.Simple,
            TlsMode.Mutual => TlsSettings.Types.Mode.Mutual,
            _ => TlsSettings.Types.Mode.Disable,
        };
        if (mode == TlsSettings.Types.Mode.Disable)
        {
            return null;
        }

        var settings = new TlsSettings
        {
            Mode = mode,
            Sni = configured.Sni ?? "",
            CaCertificates = configured.CaCertificates ?? "",
            ClientCertificate = configured.ClientCertificate ?? "",
            PrivateKey = configured.PrivateKey ?? "",
            InsecureSkipVerify = configured.InsecureSkipVerify ?? false,
        };
        settings.SubjectAltNames.Add(!configured.SubjectAltNames.IsEmpty || mode != TlsSettings.Types.Mode.IstioMutual ? configured.SubjectAltNames : service.Identities);
        return settings;
    }

    private static ClientTlsSettings? Find(TrafficPolicy? policy, int port)
    {
        if (policy is null)
        {
            return null;
        }

        foreach (var portPolicy in policy.PortLevelSettings)
        {
            if (portPolicy.Port?.Number == port && portPolicy.Tls is { Mode: not null } portTls)
            {
                return portTls;
            }
        }

        return policy.Tls is { Mode: not null } tls ? tls : null;
    }
}
