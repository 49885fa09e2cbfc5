using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>The spec of a LocalWorkload; fields are named as in a Kubernetes container spec.</summary>
public sealed record LocalWorkloadSpec
{
    /// <summary>Executable and its first arguments; <c>$(VAR)</c> expands as in Kubernetes.</summary>
    [Required]
    public ImmutableArray<string> Command { get; init; } = [];

    /// <summary>More arguments, appended to <see cref="Command"/>.</summary>
    public ImmutableArray<string> Args { get; init; } = [];

    /// <summary>Working directory, relative to the file's directory (see <see cref="LocalWorkload.ResolveWorkingDirectory"/>).</summary>
    public string? WorkingDir { get; init; }

    /// <summary>Environment variables, added after the mesh's own.</summary>
    public ImmutableArray<EnvVar> Env { get; init; } = [];

    /// <summary>Ports the process listens on.</summary>
    public ImmutableArray<WorkloadPort> Ports { get; init; } = [];

    /// <summary>Service account (identity) of the workload; "default" when absent.</summary>
    public string? ServiceAccount { get; init; }

    /// <summary>Number of processes to run.</summary>
    // The local mesh gives replica r the address <base>.<workload>.(r+1), so one octet holds at most 254 replicas.
    [Between(0, 254)]
    public int Replicas { get; init; } = 1;

    /// <summary>How the sidecar decides that the process is ready for traffic; ready once started when absent.</summary>
    public Probe? ReadinessProbe { get; init; }
}
