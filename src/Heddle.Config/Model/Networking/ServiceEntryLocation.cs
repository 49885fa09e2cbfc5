namespace Heddle.Config.Model;

/// <summary>Whether a ServiceEntry's service is part of the mesh.</summary>
public enum ServiceEntryLocation
{
    /// <summary>Outside the mesh (no sidecars, no mTLS).</summary>
    MeshExternal,

    /// <summary>Part of the mesh.</summary>
    MeshInternal,
}
