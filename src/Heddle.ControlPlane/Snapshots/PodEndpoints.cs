using Heddle.Config;
using System.Collections.Immutable;
using System.Globalization;
using Heddle.Config.Model;
using Heddle.ControlPlane.Registry;
using Heddle.Discovery;
using Heddle.Discovery.V1;
using PeerAuthentication = Heddle.Config.Model.PeerAuthentication;
using PeerAuthenticationMode = Heddle.Discovery.V1.PeerAuthenticationMode;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Endpoints of a Kubernetes Service: the connected, healthy pods of its namespace whose LocalWorkload labels
/// match its selector, each fronted by its sidecar's inbound listener.</summary>
internal static class PodEndpoints
{
    public static ImmutableArray<Endpoint> For(KubernetesService service, ServicePort port, ImmutableArray<ConnectedPod> pods, WorkloadIndex workloads, ImmutableArray<PeerAuthentication> peerAuthentications = default)
    {
        var selector = service.Spec.Selector;
        if (selector.IsEmpty)
        {
            // As in Kubernetes: a Service without a selector gets no endpoints from workloads.
            return [];
        }

        var endpoints = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var pod in pods)
        {
            if (!pod.IsHealthy || pod.Namespace != service.Metadata.Namespace)
            {
                continue;
            }

            var workload = workloads.Find(pod.Workload, pod.Namespace);
            if (workload is null || !LabelSelectors.Matches(selector, workload.Labels) || TargetPort(port, workload) is not int target)
            {
                continue;
            }

            var endpoint = new Endpoint
            {
                Address = pod.PodIp,
                Port = (uint)target,
                Sidecar = pod.PodIp + ":" + MeshPorts.Inbound.ToString(CultureInfo.InvariantCulture),
                Weight = 1,
                Workload = workload.Metadata.Name,
                WorkloadNamespace = workload.Metadata.Namespace,
                ServiceAccount = workload.ServiceAccount,
                // Automatic mutual TLS sends plaintext to a port whose own sidecar accepts only plaintext.
                MtlsDisabled = !peerAuthentications.IsDefaultOrEmpty
                    && PeerAuthentications.For(peerAuthentications, pod.Namespace, workload.Labels).ForPort(target) == PeerAuthenticationMode.PeerAuthenticationDisable,
            };
            endpoint.Labels.Add(workload.Labels);
            endpoints.Add(endpoint);
        }

        return endpoints.ToImmutable();
    }

    /// <summary>The workload's port for a service port: targetPort by number, by the workload's port name, or the
    /// service port itself when targetPort is absent; null when a named port is not declared by the workload.</summary>
    private static int? TargetPort(ServicePort port, LocalWorkload workload)
    {
        if (port.TargetPortNumber is int number)
        {
            return number;
        }

        var name = port.TargetPort!.Value.Name;
        foreach (var declared in workload.Spec.Ports)
        {
            if (declared.Name == name)
            {
                return declared.ContainerPort;
            }
        }

        return null;
    }
}
