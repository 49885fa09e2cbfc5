using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>One port of a Kubernetes Service.</summary>
public sealed record ServicePort
{
    /// <summary>The port name; required when the service has more than one port.</summary>
    [Dns1123Label]
    public string? Name { get; init; }

    /// <summary>The port the service listens on.</summary>
    [Required, PortNumber]
    public int Port { get; init; }

    /// <summary>The workload port (number or container port name); the service port when absent.</summary>
    [PortNumber]
    public IntOrString? TargetPort { get; init; }

    /// <summary>"TCP" (default), "UDP" or "SCTP".</summary>
    [AllowedValues("TCP", "UDP", "SCTP")]
    public string? Protocol { get; init; }

    /// <summary>The application protocol, e.g. "http", "grpc", "kubernetes.io/h2c"; Istio uses it to pick the protocol.</summary>
    public string? AppProtocol { get; init; }

    /// <summary>The node port of a NodePort or LoadBalancer service.</summary>
    [PortNumber]
    public int? NodePort { get; init; }

    /// <summary>The workload port number: <see cref="TargetPort"/> when numeric, otherwise <see cref="Port"/> when absent; null when named.</summary>
    public int? TargetPortNumber => TargetPort switch
    {
        null => Port,
        { IsNumber: true } target => target.Number,
        _ => null,
    };
}
