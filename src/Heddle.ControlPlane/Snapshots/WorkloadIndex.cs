using System.Collections.Immutable;
using Heddle.Config.Model;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>LocalWorkloads by namespace and name.</summary>
internal sealed class WorkloadIndex
{
    private readonly ImmutableDictionary<(string Namespace, string Name), LocalWorkload> _workloads;

    public WorkloadIndex(ImmutableArray<LocalWorkload> workloads)
    {
        var builder = ImmutableDictionary.CreateBuilder<(string, string), LocalWorkload>();
        foreach (var workload in workloads)
        {
            builder.TryAdd((workload.Metadata.Namespace, workload.Metadata.Name), workload);
        }

        _workloads = builder.ToImmutable();
        All = workloads;
    }

    /// <summary>Every LocalWorkload, in configuration order.</summary>
    public ImmutableArray<LocalWorkload> All { get; }

    public LocalWorkload? Find(string name, string @namespace) =>
        _workloads.TryGetValue((@namespace, name), out var workload) ? workload : null;
}
