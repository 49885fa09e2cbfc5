using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>Everything one proxy needs, immutable: resources sorted by name and a version derived from their content,
/// so that equal snapshots have equal versions and an unchanged snapshot is never sent twice.</summary>
public sealed class ProxySnapshot
{
    private ProxySnapshot(ImmutableSortedDictionary<string, SnapshotResource> resources, string version)
    {
        Resources = resources;
        Version = version;
    }

    public static ProxySnapshot Empty { get; } = Create([]);

    /// <summary>Sixteen hex digits of a hash over every resource's name and hash.</summary>
    public string Version { get; }

    /// <summary>The resources by name (ordinal order).</summary>
    public ImmutableSortedDictionary<string, SnapshotResource> Resources { get; }

    public static ProxySnapshot Create(IEnumerable<SnapshotResource> resources)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, SnapshotResource>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (!builder.TryAdd(resource.Name, resource))
            {
                throw new ArgumentException($"duplicate resource name '{resource.Name}'", nameof(resources));
            }
        }

        var sorted = builder.ToImmutable();
        return new ProxySnapshot(sorted, ComputeVersion(sorted));
    }

    private static string ComputeVersion(ImmutableSortedDictionary<string, SnapshotResource> resources)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> buffer = stackalloc byte[sizeof(ulong)];
        foreach (var (name, resource) in resources)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            BinaryPrimitives.WriteUInt64BigEndian(buffer, resource.Hash);
            hash.AppendData(buffer);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..8]);
    }
}
