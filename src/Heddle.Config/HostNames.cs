namespace Heddle.Config;

/// <summary>
/// Host name resolution as Istio does it, in one place: Kubernetes short names are qualified with the namespace of
/// the resource that names them (<c>reviews</c> in namespace <c>bookinfo</c> is <c>reviews.bookinfo.svc.cluster.local</c>).
/// </summary>
public static class HostNames
{
    /// <summary>The cluster DNS domain.</summary>
    public const string ClusterDomain = "cluster.local";

    /// <summary>The FQDN of Kubernetes service <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static string KubernetesFqdn(string name, string ns) => $"{name}.{ns}.svc.{ClusterDomain}";

    /// <summary>
    /// Qualifies <paramref name="host"/> as seen from namespace <paramref name="ns"/>, lower-cased:
    /// a name without dots is a Kubernetes service in <paramref name="ns"/>; <c>name.ns.svc</c> gets the cluster
    /// domain appended; anything else (<c>reviews.prod</c>, <c>api.example.com</c>, wildcards, IPs) is returned
    /// unchanged because it may be an external name — use <see cref="Candidates"/> when a two-label name
    /// may also be <c>service.namespace</c>.
    /// </summary>
    public static string Qualify(string host, string ns)
    {
        string lower = host.Trim().ToLowerInvariant();
        if (lower.Length == 0 || lower == "*" || System.Net.IPAddress.TryParse(lower, out _))
        {
            return lower;
        }
        if (!lower.Contains('.', StringComparison.Ordinal))
        {
            return KubernetesFqdn(lower, ns);
        }
        if (lower.EndsWith(".svc", StringComparison.Ordinal))
        {
            return $"{lower}.{ClusterDomain}";
        }
        return lower;
    }

    /// <summary>
    /// The FQDNs <paramref name="host"/> may stand for, most literal first: <see cref="Qualify"/>'s answer, and for a
    /// two-label name such as <c>reviews.prod</c> also the Kubernetes service <c>reviews.prod.svc.cluster.local</c>
    /// (what cluster DNS search domains would resolve it to).
    /// </summary>
    public static ImmutableArray<string> Candidates(string host, string ns)
    {
        string qualified = Qualify(host, ns);
        int dots = 0;
        foreach (char c in qualified)
        {
            dots += c == '.' ? 1 : 0;
        }
        bool twoLabels = dots == 1 && !qualified.StartsWith('*') && !System.Net.IPAddress.TryParse(qualified, out _);
        return twoLabels ? [qualified, $"{qualified}.svc.{ClusterDomain}"] : [qualified];
    }

    /// <summary>True when <paramref name="host"/> matches <paramref name="pattern"/>, which may be "*" or start with "*.".</summary>
    public static bool Matches(string pattern, string host)
    {
        if (pattern == "*")
        {
            return true;
        }
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1;
        }
        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
