using System.Collections.Immutable;
using Heddle.Config;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Every service of the mesh with its endpoints, for one configuration and one set of connected pods; shared
/// by the snapshots of all proxies computed in the same push.</summary>
public sealed class ServiceCatalog
{
    private readonly ImmutableDictionary<string, MeshService> _byHost;

    private ServiceCatalog(ConfigSet config, WorkloadIndex workloads, ImmutableArray<MeshService> services)
    {
        Config = config;
        Workloads = workloads;
        Services = services;
        var byHost = ImmutableDictionary.CreateBuilder<string, MeshService>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            byHost.TryAdd(service.Hostname, service);
        }

        _byHost = byHost.ToImmutable();
    }

    public ConfigSet Config { get; }

    internal WorkloadIndex Workloads { get; }

    /// <summary>Kubernetes Services first, then ServiceEntry hosts, each in configuration order; the first definition
    /// of a host name wins.</summary>
    internal ImmutableArray<MeshService> Services { get; }

    public static ServiceCatalog Build(ConfigSet config, ImmutableArray<ConnectedPod> pods)
    {
        var workloads = new WorkloadIndex(config.LocalWorkloads);
        var services = ImmutableArray.CreateBuilder<MeshService>();
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in config.Services)
        {
            var hostname = service.Hostname.ToLowerInvariant();
            if (!hosts.Add(hostname))
            {
                continue;
            }

            var ports = ImmutableArray.CreateBuilder<MeshServicePort>(service.Spec.Ports.Length);
            foreach (var port in service.Spec.Ports)
            {
                var protocol = PortProtocols.Select(port.AppProtocol, port.Name);
                ports.Add(new MeshServicePort(port.Port, port.Name ?? "", protocol, PodEndpoints.For(service, port, pods, workloads)));
            }

            services.Add(new MeshService(hostname, service.Metadata.Namespace, service.Metadata.Name.ToLowerInvariant(), ports.MoveToImmutable(), LoadBalancerPolicy.LoadBalancerRoundRobin));
        }

        foreach (var entry in config.ServiceEntries)
        {
            var resolution = entry.Spec.Resolution ?? ServiceEntryResolution.None;
            var loadBalancer = resolution == ServiceEntryResolution.None ? LoadBalancerPolicy.LoadBalancerPassthrough : LoadBalancerPolicy.LoadBalancerRoundRobin;
            foreach (var host in entry.Spec.Hosts)
            {
                var hostname = host.Trim().ToLowerInvariant();
                if (!hosts.Add(hostname))
                {
                    continue;
                }

                var ports = ImmutableArray.CreateBuilder<MeshServicePort>(entry.Spec.Ports.Length);
                foreach (var port in entry.Spec.Ports)
                {
                    var protocol = PortProtocols.Select(port.Protocol, port.Name);
                    ports.Add(new MeshServicePort(port.Number, port.Name, protocol, ServiceEntryEndpoints.For(entry, hostname, port, config.WorkloadEntries)));
                }

                services.Add(new MeshService(hostname, entry.Metadata.Namespace, null, ports.MoveToImmutable(), loadBalancer));
            }
        }

        return new ServiceCatalog(config, workloads, services.ToImmutable());
    }

    /// <summary>The service a host names, as seen from a resource in <paramref name="namespace"/>: short Kubernetes
    /// names are qualified with that namespace, as Istio does.</summary>
    internal MeshService? Resolve(string host, string @namespace)
    {
        foreach (var candidate in HostNames.Candidates(host, @namespace))
        {
            if (_byHost.TryGetValue(candidate, out var service))
            {
                return service;
            }
        }

        return null;
    }
}
