using System.Text.Json.Serialization;

namespace Heddle.Cli.LocalMesh;

/// <summary>
/// What a running <c>heddle up</c> publishes in <c>mesh.json</c> of its run directory, so that <c>heddle exec</c>,
/// <c>status</c> and <c>apply</c> find the mesh: where its configuration lives, where its control plane listens, and every pod.
/// </summary>
internal sealed record MeshState
{
    /// <summary>The process id of <c>heddle up</c>; the mesh runs while it lives.</summary>
    public required int Pid { get; init; }

    /// <summary>The configuration directory, absolute.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>The loopback /16 that holds the control plane's and the pods' addresses.</summary>
    public required string Cidr { get; init; }

    public required ControlPlaneState ControlPlane { get; init; }

    public required IReadOnlyList<PodState> Pods { get; init; }

    public required DateTimeOffset StartedAt { get; init; }
}

/// <summary>The control plane's addresses (<c>ip:port</c>) and its current process.</summary>
internal sealed record ControlPlaneState
{
    public required string Discovery { get; init; }

    public required string Monitoring { get; init; }

    public int? Pid { get; init; }
}

/// <summary>One replica of a LocalWorkload: its identity, address, processes and the environment its workload runs with.</summary>
internal sealed record PodState
{
    public required string Workload { get; init; }

    public required string Namespace { get; init; }

    public required string PodName { get; init; }

    public required int Replica { get; init; }

    public required string PodIp { get; init; }

    /// <summary>The workload process, absent while it is not running.</summary>
    public int? Pid { get; init; }

    /// <summary>The sidecar proxy process, absent while it is not running.</summary>
    public int? SidecarPid { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>The variables the mesh sets for this workload (on top of the user's environment), in definition order.</summary>
    public required IReadOnlyDictionary<string, string> Env { get; init; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MeshState))]
internal sealed partial class MeshStateJsonContext : JsonSerializerContext;
