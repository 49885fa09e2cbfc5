using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Snapshots;

/// <summary>One resource of a snapshot with the hash of its serialized form, so that two snapshots are compared
/// resource by resource without serializing them again.</summary>
public sealed class SnapshotResource
{
    private SnapshotResource(Resource resource, ulong hash)
    {
        Resource = resource;
        Hash = hash;
    }

    public string Name => Resource.Name;

    /// <summary>The resource; never modified after the snapshot is built.</summary>
    public Resource Resource { get; }

    public ulong Hash { get; }

    /// <summary>Freezes a resource: its hash covers its serialized bytes, which are deterministic because every
    /// repeated field and map is filled in a fixed order by the builder.</summary>
    public static SnapshotResource Create(Resource resource)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(resource.ToByteArray(), digest);
        return new SnapshotResource(resource, BinaryPrimitives.ReadUInt64BigEndian(digest));
    }
}
