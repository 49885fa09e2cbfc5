using Heddle.Config.Model;

namespace Heddle.Config;

/// <summary>
/// The services a <see cref="ConfigSet"/> defines, with host resolution as Istio does it: what a host written in a
/// resource of some namespace refers to, which DestinationRules apply to a service, which workloads a selector picks.
/// </summary>
public sealed class ServiceCatalog
{
    private readonly Dictionary<string, CatalogService> byHostname = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CatalogService> wildcards = [];
    private readonly ConfigSet config;

    private ServiceCatalog(ConfigSet config)
    {
        this.config = config;
        var services = ImmutableArray.CreateBuilder<CatalogService>();
        foreach (var service in config.Services)
        {
            var ports = service.Spec.Ports.Select(p => new CatalogPort(p.Port, p.Name, p.AppProtocol ?? p.Protocol)).ToImmutableArray();
            services.Add(new CatalogService(service.Hostname, service.Metadata.Namespace, service, ports));
        }
        foreach (var entry in config.ServiceEntries)
        {
            var ports = entry.Spec.Ports.Select(p => new CatalogPort(p.Number, p.Name, p.Protocol)).ToImmutableArray();
            foreach (string host in entry.Spec.Hosts)
            {
                services.Add(new CatalogService(host.ToLowerInvariant(), entry.Metadata.Namespace, entry, ports));
            }
        }
        Services = services.ToImmutable();
        foreach (var service in Services)
        {
            if (service.Hostname.StartsWith('*'))
            {
                wildcards.Add(service);
            }
            else
            {
                byHostname.TryAdd(service.Hostname, service);
            }
        }
        // The most specific wildcard wins, as in Istio.
        wildcards.Sort((a, b) => b.Hostname.Length.CompareTo(a.Hostname.Length));
    }

    /// <summary>Every service, Kubernetes Services first, in load order.</summary>
    public ImmutableArray<CatalogService> Services { get; }

    /// <summary>Builds the catalog of <paramref name="config"/>.</summary>
    public static ServiceCatalog Build(ConfigSet config) => new(config);

    /// <summary>
    /// The service <paramref name="host"/> refers to when written in a resource of namespace <paramref name="ns"/>:
    /// tried as <see cref="HostNames.Candidates"/>, exact hosts before wildcard ServiceEntry hosts; null when none.
    /// </summary>
    public CatalogService? Resolve(string host, string ns)
    {
        var candidates = HostNames.Candidates(host, ns);
        foreach (string candidate in candidates)
        {
            if (byHostname.TryGetValue(candidate, out var service))
            {
                return service;
            }
        }
        foreach (string candidate in candidates)
        {
            foreach (var wildcard in wildcards)
            {
                if (HostNames.Matches(wildcard.Hostname, candidate))
                {
                    return wildcard;
                }
            }
        }
        return null;
    }

    /// <summary>DestinationRules whose host (qualified in their own namespace) is, or matches, <paramref name="hostname"/>.</summary>
    public IEnumerable<DestinationRule> DestinationRulesFor(string hostname) =>
        config.DestinationRules.Where(rule =>
            HostNames.Matches(HostNames.Qualify(rule.Spec.Host, rule.Metadata.Namespace), hostname));

    /// <summary>LocalWorkloads and WorkloadEntries of namespace <paramref name="ns"/> whose labels match <paramref name="selector"/>.</summary>
    public IEnumerable<Resource> WorkloadsSelectedBy(IReadOnlyDictionary<string, string> selector, string ns)
    {
        foreach (var workload in config.LocalWorkloads)
        {
            if (workload.Metadata.Namespace == ns && LabelSelectors.Matches(selector, workload.Labels))
            {
                yield return workload;
            }
        }
        foreach (var entry in config.WorkloadEntries)
        {
            if (entry.Metadata.Namespace == ns && LabelSelectors.Matches(selector, entry.Spec.Labels))
            {
                yield return entry;
            }
        }
    }
}
