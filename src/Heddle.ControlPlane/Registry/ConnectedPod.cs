using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Registry;

/// <summary>A pod whose proxy is connected to the control plane, as its proxy's <see cref="Node"/> describes it.</summary>
public sealed record ConnectedPod(
    string Id,
    string PodName,
    string Namespace,
    string Workload,
    string PodIp,
    string ServiceAccount,
    WorkloadHealth Health)
{
    /// <summary>Reads the pod from the Node a proxy sends on the first message of its stream.</summary>
    public static ConnectedPod FromNode(Node node, WorkloadHealth health) => new(
        node.Id,
        node.PodName,
        string.IsNullOrEmpty(node.Namespace) ? "default" : node.Namespace,
        node.Workload,
        node.PodIp,
        node.ServiceAccount,
        health);

    public bool IsHealthy => Health == WorkloadHealth.Healthy;
}
