using System.Collections.Immutable;
using Heddle.Config;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;
using PeerAuthentication = Heddle.Config.Model.PeerAuthentication;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Every service of the mesh with its endpoints, for one configuration and one set of connected pods; shared
/// by the snapshots of all proxies computed in the same push. Which services exist and what a host name refers to is
/// the configuration library's <see cref="ServiceCatalog"/>; this adds ports, protocols and endpoints.</summary>
public sealed class EndpointCatalog
{
    private readonly ServiceCatalog _services;
    private readonly Dictionary<CatalogService, MeshService> _meshServices;

    private EndpointCatalog(ConfigSet config, ServiceCatalog services, WorkloadIndex workloads, ImmutableArray<MeshService> meshServices, Dictionary<CatalogService, MeshService> byDefinition)
    {
        Config = config;
        _services = services;
        Workloads = workloads;
        Services = meshServices;
        _meshServices = byDefinition;
    }

    public ConfigSet Config { get; }

    internal WorkloadIndex Workloads { get; }

    /// <summary>Kubernetes Services first, then ServiceEntry hosts, each in configuration order; the first definition
    /// of a host name wins.</summary>
    internal ImmutableArray<MeshService> Services { get; }

    public static EndpointCatalog Build(ConfigSet config, ImmutableArray<ConnectedPod> pods)
    {
        var services = ServiceCatalog.Build(config);
        var workloads = new WorkloadIndex(config.LocalWorkloads);
        var meshServices = ImmutableArray.CreateBuilder<MeshService>();
        var byDefinition = new Dictionary<CatalogService, MeshService>(ReferenceEqualityComparer.Instance);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in services.Services)
        {
            if (!hosts.Add(service.Hostname))
            {
                continue;
            }

            var meshService = service.Definition switch
            {
                KubernetesService kubernetes => FromKubernetes(kubernetes, pods, workloads, config.PeerAuthentications),
                ServiceEntry entry => FromServiceEntry(entry, service.Hostname.ToLowerInvariant(), config.WorkloadEntries),
                _ => null,
            };
            if (meshService is not null)
            {
                meshServices.Add(meshService);
                byDefinition.Add(service, meshService);
            }
        }

        return new EndpointCatalog(config, services, workloads, meshServices.ToImmutable(), byDefinition);
    }

    /// <summary>The service a host names, as seen from a resource in <paramref name="namespace"/>: short Kubernetes
    /// names are qualified with that namespace, as Istio does.</summary>
    internal MeshService? Resolve(string host, string @namespace) =>
        _services.Resolve(host, @namespace) is { } service && _meshServices.TryGetValue(service, out var meshService) ? meshService : null;

    private static MeshService FromKubernetes(KubernetesService service, ImmutableArray<ConnectedPod> pods, WorkloadIndex workloads, ImmutableArray<PeerAuthentication> peerAuthentications)
    {
        var ports = ImmutableArray.CreateBuilder<MeshServicePort>(service.Spec.Ports.Length);
        foreach (var port in service.Spec.Ports)
        {
            var protocol = PortProtocols.Select(port.AppProtocol, port.Name);
            ports.Add(new MeshServicePort(port.Port, port.Name ?? "", protocol, PodEndpoints.For(service, port, pods, workloads, peerAuthentications)));
        }

        // Istio's default load balancer is LEAST_REQUEST when no DestinationRule names one.
        return new MeshService(service.Hostname.ToLowerInvariant(), service.Metadata.Namespace, service.Metadata.Name.ToLowerInvariant(), ports.MoveToImmutable(), LoadBalancerPolicy.LoadBalancerLeastRequest)
        {
            Identities = ServiceIdentities.For(service, workloads),
            ExportTo = KubernetesExportTo(service),
        };
    }

    private static MeshService FromServiceEntry(ServiceEntry entry, string hostname, ImmutableArray<WorkloadEntry> workloadEntries)
    {
        var resolution = entry.Spec.Resolution ?? ServiceEntryResolution.None;
        var loadBalancer = resolution == ServiceEntryResolution.None ? LoadBalancerPolicy.LoadBalancerPassthrough : LoadBalancerPolicy.LoadBalancerLeastRequest;
        var ports = ImmutableArray.CreateBuilder<MeshServicePort>(entry.Spec.Ports.Length);
        foreach (var port in entry.Spec.Ports)
        {
            var protocol = PortProtocols.Select(port.Protocol, port.Name);
            ports.Add(new MeshServicePort(port.Number, port.Name, protocol, ServiceEntryEndpoints.For(entry, hostname, port, workloadEntries)));
        }

        return new MeshService(hostname, entry.Metadata.Namespace, null, ports.MoveToImmutable(), loadBalancer) { ExportTo = entry.Spec.ExportTo };
    }

    /// <summary>A Kubernetes Service's visibility: Istio's <c>networking.istio.io/exportTo</c> annotation, a
    /// comma-separated list with the same values as a resource's <c>exportTo</c>.</summary>
    private static ImmutableArray<string> KubernetesExportTo(KubernetesService service)
    {
        if (!service.Metadata.Annotations.TryGetValue("networking.istio.io/exportTo", out var annotation))
        {
            return [];
        }

        var targets = ImmutableArray.CreateBuilder<string>();
        foreach (var target in annotation.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            targets.Add(target);
        }

        return targets.ToImmutable();
    }
}
