using Heddle.Config;
using System.Collections.Immutable;
using Heddle.Config.Model;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>How a proxy reaches its own application: the pod IP and the LocalWorkload's ports. A port's protocol comes
/// from the Service port that targets it when one does (its appProtocol or name, as Istio decides inbound protocols),
/// otherwise from the workload port's own name. Each port carries the peer authentication mode in force on it.</summary>
internal static class InboundBuilder
{
    public static InboundListener For(ProxyContext proxy, EndpointCatalog catalog)
    {
        var peerAuthentication = PeerAuthentications.For(catalog.Config.PeerAuthentications, proxy.Namespace, proxy.Labels);
        var inbound = new InboundListener { AppAddress = proxy.Node.PodIp, MtlsMode = peerAuthentication.WorkloadMode };
        if (proxy.Workload is not { } workload)
        {
            return inbound;
        }

        foreach (var port in workload.Spec.Ports)
        {
            inbound.Ports.Add(new InboundPort
            {
                Port = (uint)port.ContainerPort,
                Name = port.Name ?? "",
                Protocol = ServiceProtocol(workload, port, catalog.Config.Services) ?? PortProtocols.FromName(port.Name),
                MtlsMode = peerAuthentication.ForPort(port.ContainerPort),
            });
        }

        return inbound;
    }

    private static Protocol? ServiceProtocol(LocalWorkload workload, WorkloadPort workloadPort, ImmutableArray<KubernetesService> services)
    {
        foreach (var service in services)
        {
            if (service.Metadata.Namespace != workload.Metadata.Namespace
                || service.Spec.Selector.IsEmpty
                || !LabelSelectors.Matches(service.Spec.Selector, workload.Labels))
            {
                continue;
            }

            foreach (var port in service.Spec.Ports)
            {
                var targets = port.TargetPortNumber is int number
                    ? number == workloadPort.ContainerPort
                    : workloadPort.Name is not null && port.TargetPort?.Name == workloadPort.Name;
                if (targets)
                {
                    return PortProtocols.Select(port.AppProtocol, port.Name);
                }
            }
        }

        return null;
    }
}
