namespace Heddle.Discovery;

/// <summary>Headers that sidecars exchange with each other; the receiving sidecar removes them before the application sees the request.</summary>
public static class MeshHeaders
{
    /// <summary>The workload port a request is for, set by the client sidecar for the server sidecar's inbound listener.</summary>
    public const string InboundPort = "x-heddle-inbound-port";

    /// <summary>
    /// The sending workload's metadata (workload, namespace, app, version, cluster, service account), exchanged between
    /// sidecars on requests and responses so that both ends can label their metrics with the peer workload.
    /// </summary>
    public const string PeerMetadata = "x-heddle-peer-metadata";
}
