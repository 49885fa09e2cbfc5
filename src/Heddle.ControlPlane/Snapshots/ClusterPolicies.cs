using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Translates a cluster's <see cref="EffectivePolicy"/> into the discovery protocol, with Istio's defaults
/// filled in so that the proxy never has to know them.</summary>
internal static class ClusterPolicies
{
    /// <summary>Envoy's default ring size, which Istio keeps.</summary>
    public const ulong DefaultRingSize = 1024;

    /// <summary>Envoy's default Maglev table size (a prime).</summary>
    public const ulong DefaultMaglevTableSize = 65537;

    /// <param name="meshH2Upgrade">MeshConfig's h2UpgradePolicy is UPGRADE: the default when the rule sets none.</param>
    public static void Apply(Cluster cluster, EffectivePolicy policy, bool meshH2Upgrade = false)
    {
        cluster.H2Upgrade = policy.ConnectionPool?.Http?.H2UpgradePolicy switch
        {
            H2UpgradePolicy.Upgrade => true,
            H2UpgradePolicy.DoNotUpgrade => false,
            _ => meshH2Upgrade,
        };

        if (policy.LoadBalancer?.ConsistentHash is { } hash && ConsistentHash(hash) is { } consistentHash)
        {
            cluster.ConsistentHash = consistentHash;
        }

        if (policy.ConnectionPool is { } pool)
        {
            cluster.ConnectionPool = ConnectionPool(pool);
        }

        if (policy.OutlierDetection is { } outlier)
        {
            cluster.OutlierDetection = OutlierDetection(outlier);
        }
    }

    private static ConsistentHashPolicy? ConsistentHash(ConsistentHashLB hash)
    {
        var policy = new ConsistentHashPolicy();
        if (hash.HttpHeaderName is { Length: > 0 } header)
        {
            policy.HeaderName = header.ToLowerInvariant();
        }
        else if (hash.HttpCookie is { } cookie)
        {
            var translated = new ConsistentHashCookie { Name = cookie.Name, Path = cookie.Path ?? "" };
            if (cookie.Ttl is { } ttl)
            {
                translated.TtlSeconds = (ulong)Math.Max(0, (long)ttl.TotalSeconds);
            }

            foreach (var attribute in cookie.Attributes)
            {
                translated.Attributes.Add(string.IsNullOrEmpty(attribute.Value) ? attribute.Name : attribute.Name + "=" + attribute.Value);
            }

            policy.Cookie = translated;
        }
        else if (hash.UseSourceIp == true)
        {
            policy.SourceIp = true;
        }
        else if (hash.HttpQueryParameterName is { Length: > 0 } query)
        {
            policy.QueryParameterName = query;
        }
        else
        {
            // Validation reports a consistent hash without key; the cluster keeps its simple load balancer.
            return null;
        }

        if (hash.Maglev is { } maglev)
        {
            policy.Table = ConsistentHashTable.Maglev;
            policy.TableSize = maglev.TableSize is > 0 and var size ? (ulong)size : DefaultMaglevTableSize;
        }
        else
        {
            policy.Table = ConsistentHashTable.RingHash;
            var size = hash.RingHash?.MinimumRingSize ?? hash.MinimumRingSize;
            policy.TableSize = size is > 0 ? (ulong)size.Value : DefaultRingSize;
        }

        return policy;
    }

    private static ConnectionPoolLimits ConnectionPool(ConnectionPoolSettings pool) => new()
    {
        MaxConnections = Count(pool.Tcp?.MaxConnections),
        ConnectTimeoutMs = Milliseconds(pool.Tcp?.ConnectTimeout),
        Http1MaxPendingRequests = Count(pool.Http?.Http1MaxPendingRequests),
        Http2MaxRequests = Count(pool.Http?.Http2MaxRequests),
        MaxRequestsPerConnection = Count(pool.Http?.MaxRequestsPerConnection),
        MaxRetries = Count(pool.Http?.MaxRetries),
        IdleTimeoutMs = Milliseconds(pool.Http?.IdleTimeout ?? pool.Tcp?.IdleTimeout),
    };

    private static OutlierDetectionPolicy OutlierDetection(OutlierDetection outlier)
    {
        // Envoy's defaults as Istio leaves them: 5 consecutive 5xx eject, gateway errors only when asked for. The
        // deprecated consecutiveErrors counted gateway errors only.
        uint consecutive5xx;
        uint consecutiveGateway;
        if (outlier.ConsecutiveErrors is { } legacy && outlier.Consecutive5xxErrors is null && outlier.ConsecutiveGatewayErrors is null)
        {
            consecutive5xx = 0;
            consecutiveGateway = Count(legacy);
        }
        else
        {
            consecutive5xx = outlier.Consecutive5xxErrors is { } errors ? Count(errors) : 5;
            consecutiveGateway = Count(outlier.ConsecutiveGatewayErrors);
        }

        return new OutlierDetectionPolicy
        {
            Consecutive5XxErrors = consecutive5xx,
            ConsecutiveGatewayErrors = consecutiveGateway,
            IntervalMs = Milliseconds(outlier.Interval) is > 0 and var interval ? interval : 10_000,
            BaseEjectionTimeMs = Milliseconds(outlier.BaseEjectionTime) is > 0 and var ejection ? ejection : 30_000,
            MaxEjectionPercent = (uint)Math.Clamp(outlier.MaxEjectionPercent ?? 10, 0, 100),
            MinHealthPercent = (uint)Math.Clamp(outlier.MinHealthPercent ?? 0, 0, 100),
        };
    }

    private static uint Count(int? value) => value is > 0 ? (uint)value.Value : 0;

    private static ulong Milliseconds(TimeSpan? value) => value is { } time && time > TimeSpan.Zero ? (ulong)Math.Ceiling(time.TotalMilliseconds) : 0;
}
