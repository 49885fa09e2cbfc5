using Heddle.Config.Model;

namespace Heddle.Config.Validation;

/// <summary>
/// Traffic policies (of the rule and of each subset) are complete: port-level settings name distinct ports,
/// a consistent hash has a key and a prime Maglev table, connection-pool counts are not negative and durations are at
/// least 1ms (Istio's rules), mutual TLS has certificates, locality weights sum to 100.
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
        CheckConnectionPool(resource, $"{path}.connectionPool", policy.ConnectionPool, context);
        CheckOutlierDetection(resource, $"{path}.outlierDetection", policy.OutlierDetection, context);
        CheckTls(resource, $"{path}.tls", policy.Tls, context);
        if (policy.LoadBalancer?.LocalityLbSetting is { } locality && (!locality.Failover.IsEmpty || !locality.FailoverPriority.IsEmpty) && policy.OutlierDetection is null)
        {
            context.Warning(resource, $"{path}.loadBalancer.localityLbSetting", "locality failover needs an outlierDetection policy; without one it has no effect");
        }
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
            CheckConnectionPool(resource, $"{settingsPath}.connectionPool", settings.ConnectionPool, context);
            CheckOutlierDetection(resource, $"{settingsPath}.outlierDetection", settings.OutlierDetection, context);
            CheckTls(resource, $"{settingsPath}.tls", settings.Tls, context);
        }
    }

    private static void CheckLoadBalancer(DestinationRule resource, string path, LoadBalancerSettings? settings, RuleContext context)
    {
        if (settings?.ConsistentHash is { HttpHeaderName: null, HttpCookie: null, UseSourceIp: null, HttpQueryParameterName: null })
        {
            context.Error(resource, $"{path}.consistentHash", "a consistent hash needs one of httpHeaderName, httpCookie, useSourceIp or httpQueryParameterName");
        }
        if (settings?.ConsistentHash?.Maglev?.TableSize is { } tableSize && !IsPrime(tableSize))
        {
            context.Error(resource, $"{path}.consistentHash.maglev.tableSize", $"the Maglev table size must be a prime number, got {tableSize}");
        }
        if (settings?.ConsistentHash?.RingHash?.MinimumRingSize is < 0)
        {
            context.Error(resource, $"{path}.consistentHash.ringHash.minimumRingSize", "cannot be negative");
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

    private static void CheckConnectionPool(DestinationRule resource, string path, ConnectionPoolSettings? pool, RuleContext context)
    {
        if (pool is null)
        {
            return;
        }
        if (pool.Tcp is null && pool.Http is null)
        {
            context.Error(resource, path, "a connection pool needs tcp or http settings");
        }
        NotNegative(resource, $"{path}.tcp.maxConnections", pool.Tcp?.MaxConnections, context);
        AtLeastOneMillisecond(resource, $"{path}.tcp.connectTimeout", pool.Tcp?.ConnectTimeout, context);
        AtLeastOneMillisecond(resource, $"{path}.tcp.idleTimeout", pool.Tcp?.IdleTimeout, context);
        NotNegative(resource, $"{path}.http.http1MaxPendingRequests", pool.Http?.Http1MaxPendingRequests, context);
        NotNegative(resource, $"{path}.http.http2MaxRequests", pool.Http?.Http2MaxRequests, context);
        NotNegative(resource, $"{path}.http.maxRequestsPerConnection", pool.Http?.MaxRequestsPerConnection, context);
        NotNegative(resource, $"{path}.http.maxRetries", pool.Http?.MaxRetries, context);
        AtLeastOneMillisecond(resource, $"{path}.http.idleTimeout", pool.Http?.IdleTimeout, context);
    }

    private static void CheckOutlierDetection(DestinationRule resource, string path, OutlierDetection? outlier, RuleContext context)
    {
        if (outlier is null)
        {
            return;
        }
        NotNegative(resource, $"{path}.consecutiveErrors", outlier.ConsecutiveErrors, context);
        NotNegative(resource, $"{path}.consecutive5xxErrors", outlier.Consecutive5xxErrors, context);
        NotNegative(resource, $"{path}.consecutiveGatewayErrors", outlier.ConsecutiveGatewayErrors, context);
        NotNegative(resource, $"{path}.consecutiveLocalOriginFailures", outlier.ConsecutiveLocalOriginFailures, context);
        AtLeastOneMillisecond(resource, $"{path}.interval", outlier.Interval, context);
        AtLeastOneMillisecond(resource, $"{path}.baseEjectionTime", outlier.BaseEjectionTime, context);
    }

    private static void NotNegative(DestinationRule resource, string path, int? value, RuleContext context)
    {
        if (value is < 0)
        {
            context.Error(resource, path, $"cannot be negative, got {value}");
        }
    }

    private static void AtLeastOneMillisecond(DestinationRule resource, string path, TimeSpan? value, RuleContext context)
    {
        if (value is { } duration && duration < TimeSpan.FromMilliseconds(1))
        {
            context.Error(resource, path, $"a duration must be at least 1ms, got {duration.TotalMilliseconds}ms");
        }
    }

    private static bool IsPrime(long value)
    {
        if (value < 2)
        {
            return false;
        }
        for (long divisor = 2; divisor * divisor <= value; divisor++)
        {
            if (value % divisor == 0)
            {
                return false;
            }
        }
        return true;
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
