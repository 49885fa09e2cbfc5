using System.Globalization;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.Resilience;

namespace Heddle.Proxy.Upstreams;

/// <summary>
/// One place a request for a cluster can go, with everything the request path needs precomputed:
/// the destination prefix for the forwarder, the wire protocol and the transformer that adds mesh headers.
/// </summary>
internal sealed class UpstreamEndpoint
{
    private int _inFlight;
    private volatile bool _ejected;

    public UpstreamEndpoint(string address, int port, string? sidecar, uint weight, UpstreamProtocol clusterProtocol)
    {
        Address = address;
        Port = port;
        Sidecar = string.IsNullOrEmpty(sidecar) ? null : sidecar;
        Weight = weight;
        var target = Sidecar ?? FormatHostPort(address, port);
        UpstreamHost = target;
        DestinationPrefix = "http://" + target;
        // Between sidecars the hop is always h2c: one multiplexed connection carries every request.
        Protocol = Sidecar is null ? clusterProtocol : UpstreamProtocol.H2c;
        Transformer = Sidecar is null
            ? MeshTransformer.Direct
            : MeshTransformer.ToSidecar(port.ToString(CultureInfo.InvariantCulture));
    }

    public string Address { get; }

    public int Port { get; }

    /// <summary>"ip:port" of the inbound listener of the sidecar that fronts this endpoint, or null.</summary>
    public string? Sidecar { get; }

    public uint Weight { get; }

    /// <summary>Locality failover level for this proxy (0 is tried first).</summary>
    public int Priority { get; init; }

    /// <summary>"region/zone/subzone", or "" when unknown.</summary>
    public string Locality { get; init; } = "";

    /// <summary>
    /// Requests for this endpoint go without TLS even when its sidecar's hop uses TLS for other ports: automatic mutual
    /// TLS towards a port whose peer authentication is DISABLE. They take connections of their own (a TLS connection
    /// to the sidecar would be refused on that port).
    /// </summary>
    public bool Plaintext { get; init; }

    /// <summary>The share of this endpoint's locality under localityLbSetting.distribute (0: none or not distributed).</summary>
    public uint LocalityWeight { get; init; }

    /// <summary>"http://host:port" of the next hop: the peer sidecar's inbound listener or the endpoint itself.</summary>
    public string DestinationPrefix { get; }

    /// <summary>"host:port" of the next hop, as the access log shows it.</summary>
    public string UpstreamHost { get; }

    public UpstreamProtocol Protocol { get; }

    public MeshTransformer Transformer { get; }

    /// <summary>Requests currently sent to this endpoint (kept only by policies that need it).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Taken out of load balancing by outlier detection (every load balancer skips it).</summary>
    public bool IsEjected => _ejected;

    /// <summary>The outlier detector's bookkeeping for this endpoint.</summary>
    public OutlierState Outlier { get; } = new();

    /// <summary>Set by the outlier detector only.</summary>
    internal void SetEjected(bool ejected) => _ejected = ejected;

    public void OnRequestStarted() => Interlocked.Increment(ref _inFlight);

    public void OnRequestFinished() => Interlocked.Decrement(ref _inFlight);

    public static string FormatHostPort(string host, int port) =>
        host.Contains(':') && !host.StartsWith('[')
            ? "[" + host + "]:" + port.ToString(CultureInfo.InvariantCulture)
            : host + ":" + port.ToString(CultureInfo.InvariantCulture);
}
