using System.Collections.Immutable;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>What turns one snapshot into another: resources added or changed, and names of resources removed.</summary>
public sealed record SnapshotDelta(ImmutableArray<SnapshotResource> Upserted, ImmutableArray<string> Removed)
{
    public bool IsEmpty => Upserted.IsEmpty && Removed.IsEmpty;

    /// <summary>The delta from <paramref name="from"/> to <paramref name="to"/>; from <c>null</c> it holds every resource.</summary>
    public static SnapshotDelta Compute(ProxySnapshot? from, ProxySnapshot to)
    {
        var upserted = ImmutableArray.CreateBuilder<SnapshotResource>();
        var removed = ImmutableArray.CreateBuilder<string>();
        var before = from?.Resources ?? ProxySnapshot.Empty.Resources;

        foreach (var (name, resource) in to.Resources)
        {
            if (!before.TryGetValue(name, out var old) || old.Hash != resource.Hash)
            {
                upserted.Add(resource);
            }
        }

        foreach (var name in before.Keys)
        {
            if (!to.Resources.ContainsKey(name))
            {
                removed.Add(name);
            }
        }

        return new SnapshotDelta(upserted.ToImmutable(), removed.ToImmutable());
    }

    /// <summary>The response that carries this delta; an empty <paramref name="baseVersion"/> marks a full snapshot.</summary>
    public DiscoveryResponse ToResponse(string version, string baseVersion, string nonce)
    {
        var response = new DiscoveryResponse { Version = version, BaseVersion = baseVersion, Nonce = nonce };
        foreach (var resource in Upserted)
        {
            response.Upserted.Add(resource.Resource);
        }

        response.Removed.Add(Removed);
        return response;
    }
}
