using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>
/// Istio's locality failover, computed per proxy: each endpoint gets a priority (0 is tried first) from how close its
/// locality (region/zone/subzone) is to the proxy's — or, with <c>failoverPriority</c>, from how many of the listed
/// labels it shares with the proxy. As in Istio, it applies only with outlier detection (without it a proxy never
/// learns that the closer endpoints fail) and only when the proxy's locality is known. With <c>distribute</c>,
/// localities get shares of traffic instead.
/// </summary>
internal static class LocalityPriorities
{
    public const string RegionLabel = "topology.kubernetes.io/region";
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string SubzoneLabel = "topology.istio.io/subzone";

    /// <summary>Istio's pod label "region.zone.subzone" (dots: label values cannot hold slashes).</summary>
    public const string LocalityLabel = "istio-locality";

    /// <summary>"region/zone/subzone" from a workload's labels, "" when it has none.</summary>
    public static string LocalityOf(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.TryGetValue(LocalityLabel, out var combined) && combined.Length > 0)
        {
            return combined.Replace('.', '/');
        }

        labels.TryGetValue(RegionLabel, out var region);
        labels.TryGetValue(ZoneLabel, out var zone);
        labels.TryGetValue(SubzoneLabel, out var subzone);
        return string.IsNullOrEmpty(region) ? "" : $"{region}/{zone}/{subzone}".TrimEnd('/');
    }

    /// <summary>The endpoints with their locality and priority set (copies: the originals are shared by every
    /// proxy's snapshot), or the endpoints unchanged when locality failover does not apply.</summary>
    public static ImmutableArray<Endpoint> Apply(ImmutableArray<Endpoint> endpoints, EffectivePolicy policy, ProxyContext proxy)
    {
        var setting = policy.LoadBalancer?.LocalityLbSetting;
        if (endpoints.IsEmpty || setting?.Enabled == false)
        {
            return endpoints;
        }

        if (setting is { Distribute.IsEmpty: false })
        {
            return Distribute(endpoints, setting.Distribute, LocalityOf(proxy.Labels));
        }

        if (policy.OutlierDetection is null)
        {
            return endpoints;
        }

        var proxyLocality = Split(LocalityOf(proxy.Labels));
        var failoverPriority = setting?.FailoverPriority ?? [];
        if (proxyLocality.Region.Length == 0 && failoverPriority.IsEmpty)
        {
            return endpoints;
        }

        var priorities = new int[endpoints.Length];
        var localities = new string[endpoints.Length];
        for (var i = 0; i < endpoints.Length; i++)
        {
            var endpoint = endpoints[i];
            localities[i] = endpoint.Locality.Length > 0 ? endpoint.Locality : LocalityOf(endpoint.Labels);
            var locality = Split(localities[i]);
            var byLocality = proxyLocality.Region.Length == 0 ? 0 : ByLocality(proxyLocality, locality, setting?.Failover ?? []);
            priorities[i] = failoverPriority.IsEmpty
                ? byLocality
                : ByLabels(failoverPriority, proxy.Labels, proxyLocality, endpoint.Labels, locality) * 5 + (setting!.Failover.IsEmpty ? 0 : byLocality);
        }

        Compact(priorities);
        var result = ImmutableArray.CreateBuilder<Endpoint>(endpoints.Length);
        for (var i = 0; i < endpoints.Length; i++)
        {
            var copy = endpoints[i].Clone();
            copy.Locality = localities[i];
            copy.Priority = (uint)priorities[i];
            result.Add(copy);
        }

        return result.MoveToImmutable();
    }

    /// <summary>localityLbSetting.distribute: the first rule whose <c>from</c> matches the proxy's locality gives each
    /// <c>to</c> pattern's weight to the endpoint localities it matches, in equal parts; other localities get none.</summary>
    private static ImmutableArray<Endpoint> Distribute(ImmutableArray<Endpoint> endpoints, ImmutableArray<LocalityDistribute> rules, string proxyLocality)
    {
        LocalityDistribute? rule = null;
        foreach (var candidate in rules)
        {
            if (proxyLocality.Length > 0 && candidate.From is { } from && Matches(from, proxyLocality))
            {
                rule = candidate;
                break;
            }
        }

        if (rule is null)
        {
            return endpoints;
        }

        var localities = new string[endpoints.Length];
        for (var i = 0; i < endpoints.Length; i++)
        {
            localities[i] = endpoints[i].Locality.Length > 0 ? endpoints[i].Locality : LocalityOf(endpoints[i].Labels);
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (pattern, weight) in rule.To)
        {
            var matched = localities.Where(l => l.Length > 0 && Matches(pattern, l)).Distinct(StringComparer.Ordinal).ToArray();
            foreach (var locality in matched)
            {
                weights[locality] = weights.GetValueOrDefault(locality) + ((double)weight / matched.Length);
            }
        }

        var result = ImmutableArray.CreateBuilder<Endpoint>(endpoints.Length);
        for (var i = 0; i < endpoints.Length; i++)
        {
            var copy = endpoints[i].Clone();
            copy.Locality = localities[i];
            // Weights are percentages; scaled by 1,000 so that shares split between localities stay whole numbers.
            copy.LocalityWeight = (uint)Math.Round(weights.GetValueOrDefault(localities[i]) * 1000);
            result.Add(copy);
        }

        return result.MoveToImmutable();
    }

    /// <summary>A locality pattern ("us-west/zone1/*", "us-west/*", "us-west") against "region/zone/subzone": each
    /// segment equal or "*"; a "*" or the pattern's end matches the rest.</summary>
    private static bool Matches(string pattern, string locality)
    {
        var wanted = pattern.Split('/');
        var actual = locality.Split('/');
        for (var i = 0; i < wanted.Length; i++)
        {
            if (wanted[i] == "*")
            {
                return true;
            }

            if (i >= actual.Length || wanted[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>0: same region, zone and subzone; 1: same region and zone; 2: same region; 3: another region (4 when
    /// a failover rule for the proxy's region names a different one).</summary>
    private static int ByLocality((string Region, string Zone, string Subzone) proxy, (string Region, string Zone, string Subzone) endpoint, ImmutableArray<LocalityFailover> failover)
    {
        if (proxy.Region == endpoint.Region)
        {
            return proxy.Zone != endpoint.Zone ? 2 : proxy.Subzone != endpoint.Subzone ? 1 : 0;
        }

        foreach (var rule in failover)
        {
            if (rule.From == proxy.Region)
            {
                return rule.To == endpoint.Region ? 3 : 4;
            }
        }

        return 3;
    }

    /// <summary>With n keys: 0 when the endpoint matches the proxy on all of them, 1 on the first n-1, ..., n on none.</summary>
    private static int ByLabels(
        ImmutableArray<string> keys,
        IReadOnlyDictionary<string, string> proxyLabels,
        (string Region, string Zone, string Subzone) proxyLocality,
        IDictionary<string, string> endpointLabels,
        (string Region, string Zone, string Subzone) endpointLocality)
    {
        var matched = 0;
        foreach (var key in keys)
        {
            var (mine, theirs) = key switch
            {
                RegionLabel => (proxyLocality.Region, endpointLocality.Region),
                ZoneLabel => (proxyLocality.Zone, endpointLocality.Zone),
                SubzoneLabel => (proxyLocality.Subzone, endpointLocality.Subzone),
                _ => (proxyLabels.TryGetValue(key, out var p) ? p : "", endpointLabels.TryGetValue(key, out var e) ? e : ""),
            };
            if (mine.Length == 0 || mine != theirs)
            {
                break;
            }

            matched++;
        }

        return keys.Length - matched;
    }

    /// <summary>Renumbers priorities 0, 1, 2, ... keeping their order (an unused level would stall failover).</summary>
    private static void Compact(int[] priorities)
    {
        var levels = priorities.Distinct().Order().ToArray();
        for (var i = 0; i < priorities.Length; i++)
        {
            priorities[i] = Array.IndexOf(levels, priorities[i]);
        }
    }

    private static (string Region, string Zone, string Subzone) Split(string locality)
    {
        var parts = locality.Split('/');
        return (parts.Length > 0 ? parts[0] : "", parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : "");
    }
}
