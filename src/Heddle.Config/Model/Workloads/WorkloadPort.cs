using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>A port a LocalWorkload listens on (a Kubernetes <c>ContainerPort</c>).</summary>
public sealed record WorkloadPort
{
    /// <summary>Port name, referenced by Service <c>targetPort</c> and probes (an IANA service name).</summary>
    [IanaServiceName]
    public string? Name { get; init; }

    /// <summary>The port number.</summary>
    [Required, PortNumber]
    public int ContainerPort { get; init; }

    /// <summary>"TCP" (default), "UDP" or "SCTP".</summary>
    [AllowedValues("TCP", "UDP", "SCTP")]
    public string? Protocol { get; init; }
}
