using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>
/// Traffic policies (of the rule and of each subset) are complete: port-level settings name distinct ports,
/// a consistent hash has a key, mutual TLS has certificates, locality weights sum to 100.
/// </summary>
internal sealed class TrafficPolicyRule : ResourceRule<DestinationRule>
{
    protected override void Check(DestinationRule resource, RuleContext context)
    {
        CheckPolicy(resource, "spec.trafficPolicy", resource.Spec.TrafficPolicy, context);
        for (int i = 0; i < resource.Spec.Subsets.Length; i++)
        {
            CheckPolicy(resource, $"spec.subsets[{i}].trafficPolicy", resource.Spec.Subsets[i].TrafficPolicy, context);
        }
    }

    private static void CheckPolicy(DestinationRule resource, string path, TrafficPolicy? policy, RuleContext context)
    {
        if (policy is null)
        {
            return;
        }
        CheckLoadBalancer(resource, $"{path}.loadBalancer", policy.LoadBalancer, context);
        CheckTls(resource, $"{path}.tls", policy.Tls, context);
        var ports = new HashSet<int>();
        for (int i = 0; i < policy.PortLevelSettings.Length; i++)
        {
            var settings = policy.PortLevelSettings[i];
            string settingsPath = $"{path}.portLevelSettings[{i}]";
            if (settings.Port is null)
            {
                context.Error(resource, $"{settingsPath}.port", "required field is missing");
            }
            else if (!ports.Add(settings.Port.Number))
            {
                context.Error(resource, $"{settingsPath}.port.number", $"port {settings.Port.Number} has settings twice");
            }
            CheckLoadBalancer(resource, $"{settingsPath}.loadBalancer", settings.LoadBalancer, context);
            CheckTls(resource, $"{settingsPath}.tls", settings.Tls, context);
        }
    }

    private static void CheckLoadBalancer(DestinationRule resource, string path, LoadBalancerSettings? settings, RuleContext context)
    {
        if (settings?.ConsistentHash is { HttpHeaderName: null, HttpCookie: null, UseSourceIp: null, HttpQueryParameterName: null })
        {
            context.Error(resource, $"{path}.consistentHash", "a consistent hash needs one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName");
        }
        if (settings?.LocalityLbSetting is not { } locality)
        {
            return;
        }
        string localityPath = $"{path}.localityLbSetting";
        if (!locality.Distribute.IsEmpty && !locality.Failover.IsEmpty)
        {
            context.Error(resource, $"{localityPath}.failover", "distribute and failover cannot be used together");
        }
        for (int i = 0; i < locality.Distribute.Length; i++)
        {
            int sum = locality.Distribute[i].To.Values.Sum();
            if (sum != 100)
            {
                context.Error(resource, $"{localityPath}.distribute[{i}].to", $"locality weights must sum to 100, got {sum}");
            }
        }
    }

    private static void CheckTls(DestinationRule resource, string path, ClientTlsSettings? tls, RuleContext context)
    {
        if (tls is { Mode: TlsMode.Mutual, CredentialName: null or "" }
            && (string.IsNullOrEmpty(tls.ClientCertificate) || string.IsNullOrEmpty(tls.PrivateKey)))
        {
            context.Error(resource, $"{path}.mode", "MUTUAL needs clientCertificate and privateKey, or credentialName");
        }
    }
}
