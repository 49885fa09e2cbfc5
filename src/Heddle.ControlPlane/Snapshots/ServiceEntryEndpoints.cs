using Heddle.Config;
using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Endpoints of a ServiceEntry port: its inline endpoints, or the WorkloadEntries of its namespace that its
/// workloadSelector selects. They have no sidecar: the client sidecar connects to them directly.</summary>
internal static class ServiceEntryEndpoints
{
    public static ImmutableArray<Endpoint> For(ServiceEntry entry, string host, ServiceEntryPort port, ImmutableArray<WorkloadEntry> workloadEntries)
    {
        var spec = entry.Spec;
        var endpoints = ImmutableArray.CreateBuilder<Endpoint>();
        if (spec.WorkloadSelector is { } selector)
        {
            foreach (var workloadEntry in workloadEntries)
            {
                if (workloadEntry.Metadata.Namespace == entry.Metadata.Namespace && LabelSelectors.Matches(selector.Labels, workloadEntry.Spec.Labels))
                {
                    Add(endpoints, workloadEntry.Spec, port);
                }
            }
        }
        else
        {
            foreach (var inline in spec.Endpoints)
            {
                Add(endpoints, inline, port);
            }
        }

        var resolution = spec.Resolution ?? ServiceEntryResolution.None;
        if (endpoints.Count == 0 && resolution is ServiceEntryResolution.Dns or ServiceEntryResolution.DnsRoundRobin && !host.Contains('*', StringComparison.Ordinal))
        {
            // DNS resolution without endpoints: the host name itself is the endpoint, resolved by the proxy.
            endpoints.Add(new Endpoint { Address = host, Port = (uint)(port.TargetPort ?? port.Number), Weight = 1 });
        }

        return endpoints.ToImmutable();
    }

    private static void Add(ImmutableArray<Endpoint>.Builder endpoints, WorkloadEntrySpec workload, ServiceEntryPort port)
    {
        if (string.IsNullOrEmpty(workload.Address))
        {
            return;
        }

        var number = workload.Ports.TryGetValue(port.Name, out var mapped) ? mapped : port.TargetPort ?? port.Number;
        var endpoint = new Endpoint
        {
            Address = workload.Address,
            Port = (uint)number,
            Weight = (uint)Math.Max(workload.Weight ?? 1, 1),
            Locality = workload.Locality ?? "",
        };
        endpoint.Labels.Add(workload.Labels);
        endpoints.Add(endpoint);
    }
}
