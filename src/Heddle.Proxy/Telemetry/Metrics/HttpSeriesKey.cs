namespace Heddle.Proxy.Telemetry.Metrics;

/// <summary>
/// What distinguishes one series of the request metrics. Peers and services are shared instances compared by
/// reference, so building and hashing a key allocates nothing.
/// </summary>
internal readonly struct HttpSeriesKey(
    Reporter reporter,
    WorkloadPeer source,
    WorkloadPeer destination,
    ServiceTarget service,
    RequestProtocol protocol,
    int responseCode,
    int grpcStatus,
    ResponseFlags flags,
    SecurityPolicy security) : IEquatable<HttpSeriesKey>
{
    public Reporter Reporter { get; } = reporter;
    public WorkloadPeer Source { get; } = source;
    public WorkloadPeer Destination { get; } = destination;
    public ServiceTarget Service { get; } = service;
    public RequestProtocol Protocol { get; } = protocol;
    public int ResponseCode { get; } = responseCode;

    /// <summary>The gRPC status, or -1 when the request is not gRPC or none was returned.</summary>
    public int GrpcStatus { get; } = grpcStatus;
    public ResponseFlags Flags { get; } = flags;
    public SecurityPolicy Security { get; } = security;

    public bool Equals(HttpSeriesKey other) =>
        ReferenceEquals(Source, other.Source)
        && ReferenceEquals(Destination, other.Destination)
        && ReferenceEquals(Service, other.Service)
        && ResponseCode == other.ResponseCode
        && GrpcStatus == other.GrpcStatus
        && Flags == other.Flags
        && Reporter == other.Reporter
        && Protocol == other.Protocol
        && Security == other.Security;

    public override bool Equals(object? obj) => obj is HttpSeriesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Source),
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Destination),
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Service),
        ResponseCode,
        GrpcStatus,
        (int)Flags,
        (int)Reporter | ((int)Protocol << 8) | ((int)Security << 16));
}

/// <summary>What distinguishes one series of the TCP connection metrics.</summary>
internal readonly struct TcpSeriesKey(
    Reporter reporter,
    WorkloadPeer source,
    WorkloadPeer destination,
    ServiceTarget service,
    ResponseFlags flags,
    SecurityPolicy security) : IEquatable<TcpSeriesKey>
{
    public Reporter Reporter { get; } = reporter;
    public WorkloadPeer Source { get; } = source;
    public WorkloadPeer Destination { get; } = destination;
    public ServiceTarget Service { get; } = service;
    public ResponseFlags Flags { get; } = flags;
    public SecurityPolicy Security { get; } = security;

    public bool Equals(TcpSeriesKey other) =>
        ReferenceEquals(Source, other.Source)
        && ReferenceEquals(Destination, other.Destination)
        && ReferenceEquals(Service, other.Service)
        && Flags == other.Flags
        && Reporter == other.Reporter
        && Security == other.Security;

    public override bool Equals(object? obj) => obj is TcpSeriesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Source),
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Destination),
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Service),
        (int)Flags,
        (int)Reporter | ((int)Security << 16));
}
