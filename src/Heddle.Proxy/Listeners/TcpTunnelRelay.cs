using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// Relays the bytes of a CONNECT tunnel that carries neither HTTP/1 nor HTTP/2 (TLS, a database protocol, ...) to
/// an endpoint of the requested service, or to the requested host itself when the mesh does not know it and the
/// outbound traffic policy allows it. An endpoint fronted by a sidecar (also a pod address reached through
/// passthrough) is reached through that sidecar's inbound listener: mutual TLS when the cluster's TLS settings say so
/// (automatic mutual TLS, with secure naming), then a <see cref="TunnelPreface"/> naming the application port, so the
/// destination authenticates, authorizes and measures the connection.
/// </summary>
internal sealed class TcpTunnelRelay(
    SnapshotStore store,
    AccessLog accessLog,
    MeshTelemetry telemetry,
    Random random,
    TimeProvider timeProvider,
    TimeSpan connectTimeout,
    UpstreamTls? upstreamTls = null,
    ILogger? logger = null)
{
    private PodSidecars? _pods;

    public async Task RelayAsync(ConnectionContext connection, string authority)
    {
        var started = timeProvider.GetTimestamp();
        var route = Resolve(store.Current, authority);
        var flags = route.Flags;
        var counts = new RelayCounts();
        var code = 0;
        var connected = false;
        var destination = route.Destination;
        if (route.Target is { } target)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Stream? stream = null;
            try
            {
                // Not the connection's ConnectionClosed: Kestrel signals it when the client half-closes, and a client
                // that sent everything and shut its side ("echo x | nc -N") still waits for the answer.
                using var timeout = new CancellationTokenSource(connectTimeout, timeProvider);
                if (await TryConnectAsync(socket, target, timeout.Token).ConfigureAwait(false))
                {
                    stream = new NetworkStream(socket, ownsSocket: false);
                    if (route.Peer is { } peer)
                    {
                        (stream, code, destination) = await OpenPeerTunnelAsync(connection, stream, target, peer, destination, counts, timeout.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        code = 200;
                    }
                }

                if (code == 200)
                {
                    connected = true;
                    var series = Series(authority, flags, route.Cluster, destination);
                    series.OnOpened();
                    await TcpRelay.PumpAsync(connection.Transport, stream!, socket, counts).ConfigureAwait(false);
                    series.OnClosed(received: counts.FromDownstream, sent: counts.ToDownstream);
                }
                else if (code == 0)
                {
                    flags = ResponseFlags.UpstreamConnectionFailure;
                }
                else if (code == 503)
                {
                    // The peer sidecar could not reach its application.
                    flags = ResponseFlags.UpstreamConnectionFailure;
                    code = 0;
                }
            }
            catch (OperationCanceledException)
            {
                flags = ResponseFlags.UpstreamConnectionFailure;
            }
            finally
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        if (!connected)
        {
            // As Envoy, a connection that never reached an upstream is counted as opened and closed, with its flag.
            var series = Series(authority, flags, route.Cluster, destination);
            series.OnOpened();
            series.OnClosed(0, 0);
        }

        if (accessLog.Accepts(code))
        {
            var elapsed = timeProvider.GetElapsedTime(started);
            accessLog.Write(new AccessLogEntry(
                timeProvider.GetUtcNow() - elapsed, "CONNECT", authority, null, "TCP", code, flags,
                counts.FromDownstream, counts.ToDownstream, (long)elapsed.TotalMilliseconds, null, null, null, authority,
                route.Target?.Host is { } host ? host + ":" + route.Target.Port.ToString(CultureInfo.InvariantCulture) : null, route.ClusterName, null));
        }
    }

    /// <summary>
    /// Secures the connection to the peer sidecar when its cluster wants TLS, sends the preface and reads the answer.
    /// Returns the stream to relay on, the peer's status (0: no answer, the handshake failed or the connection broke)
    /// and the destination workload (the answer's, when discovery did not name it).
    /// </summary>
    private async Task<(Stream Stream, int Status, WorkloadPeer Destination)> OpenPeerTunnelAsync(
        ConnectionContext connection, Stream stream, DnsEndPoint sidecar, PeerHop peer, WorkloadPeer destination, RelayCounts counts, CancellationToken cancellationToken)
    {
        try
        {
            if (!peer.Plaintext && upstreamTls is not null)
            {
                stream = await upstreamTls.SecureAsync(stream, sidecar, http2: false, cancellationToken).ConfigureAwait(false);
            }

            await stream.WriteAsync(TunnelPreface.Request(peer.Authority, peer.Port, telemetry.LocalMetadata), cancellationToken).ConfigureAwait(false);
            var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            try
            {
                var (status, metadata) = await TunnelPreface.ReadResponseAsync(reader, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    if (status != 0 && logger is not null)
                    {
                        SecurityLog.TunnelRefused(logger, sidecar.Host + ":" + sidecar.Port.ToString(CultureInfo.InvariantCulture), status);
                    }

                    return (stream, status, destination);
                }

                if (destination.Workload == WorkloadPeer.UnknownValue && metadata is not null)
                {
                    destination = telemetry.Peers.Resolve(metadata);
                }

                // Bytes the application sent right after the answer (a server that speaks first) are already read.
                if (!await TcpRelay.ForwardBufferedAsync(reader, connection.Transport.Output, counts).ConfigureAwait(false))
                {
                    return (stream, 0, destination);
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }

            return (stream, 200, destination);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or InvalidOperationException)
        {
            return (stream, 0, destination);
        }
    }

    /// <summary>The TCP series of a tunnel, reported by this (the client's) sidecar.</summary>
    private TcpSeries Series(string authority, ResponseFlags flags, UpstreamCluster? cluster, WorkloadPeer destination)
    {
        ServiceTarget service;
        if (cluster is not null && !cluster.IsPassthrough)
        {
            service = telemetry.For(cluster).Service;
        }
        else
        {
            service = cluster is not null || flags == ResponseFlags.None
                ? telemetry.FromPassthroughAuthority(authority)
                : telemetry.FromOutboundAuthority(authority);
        }

        return telemetry.Metrics.Tcp(new TcpSeriesKey(Reporter.Source, telemetry.Local, destination, service, flags, SecurityPolicy.Unknown));
    }

    private TunnelRoute Resolve(ProxySnapshot snapshot, string authority)
    {
        var virtualHost = snapshot.Routes.Find(authority, 443);
        if (virtualHost is null)
        {
            return snapshot.OutboundTrafficPolicy == ProxySettings.Types.OutboundTrafficPolicy.AllowAny && TrySplit(authority, out var host, out var port)
                ? Passthrough(snapshot, host, port, "PassthroughCluster", null)
                : new TunnelRoute(null, null, ResponseFlags.NoRoute, null, WorkloadPeer.Unknown, null);
        }

        // Nothing in a byte stream can match a route condition: the first route without conditions applies.
        foreach (var route in virtualHost.Routes)
        {
            if (route.Matches.Length != 0 || !route.Forwards)
            {
                continue;
            }

            var cluster = route.Clusters.Pick(random);
            if (cluster.IsPassthrough && TrySplit(authority, out var host, out var port))
            {
                return Passthrough(snapshot, host, port, cluster.Name, cluster);
            }

            var endpoint = cluster.LoadBalancer.Pick();
            if (endpoint is null)
            {
                return new TunnelRoute(null, cluster.Name, ResponseFlags.NoHealthyUpstream, cluster, WorkloadPeer.Unknown, null);
            }

            var destination = telemetry.For(cluster).PeerOf(endpoint);
            if (endpoint.Sidecar is { } sidecar && TrySplit(sidecar, out var sidecarHost, out var sidecarPort))
            {
                var service = cluster.Source.Service.Length > 0 && TrySplit(authority, out _, out var servicePort)
                    ? cluster.Source.Service + ":" + servicePort.ToString(CultureInfo.InvariantCulture)
                    : authority;
                return new TunnelRoute(
                    new DnsEndPoint(sidecarHost, sidecarPort), cluster.Name, ResponseFlags.None, cluster, destination, new PeerHop(service, endpoint.Port, endpoint.Plaintext));
            }

            return new TunnelRoute(new DnsEndPoint(endpoint.Address, endpoint.Port), cluster.Name, ResponseFlags.None, cluster, destination, null);
        }

        return new TunnelRoute(null, null, ResponseFlags.NoRoute, null, WorkloadPeer.Unknown, null);
    }

    /// <summary>To the host the client named; through its sidecar when it is a pod of the mesh (as Istio's inbound
    /// capture would take the connection to that pod's sidecar).</summary>
    private TunnelRoute Passthrough(ProxySnapshot snapshot, string host, int port, string clusterName, UpstreamCluster? cluster)
    {
        var pods = _pods;
        if (pods is null || !ReferenceEquals(pods.Snapshot, snapshot))
        {
            pods = new PodSidecars(snapshot);
            _pods = pods;
        }

        if (pods.Find(host) is { } sidecar && TrySplit(sidecar, out var sidecarHost, out var sidecarPort))
        {
            var authority = UpstreamEndpoint.FormatHostPort(host, port);
            return new TunnelRoute(new DnsEndPoint(sidecarHost, sidecarPort), clusterName, ResponseFlags.None, cluster, WorkloadPeer.Unknown, new PeerHop(authority, port, false));
        }

        return new TunnelRoute(new DnsEndPoint(host, port), clusterName, ResponseFlags.None, cluster, WorkloadPeer.Unknown, null);
    }

    /// <summary>The endpoint as the control plane sent it (same order as the cluster's endpoints).</summary>
    private static async Task<bool> TryConnectAsync(Socket socket, DnsEndPoint target, CancellationToken cancellationToken)
    {
        try
        {
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static bool TrySplit(string authority, out string host, out int port)
    {
        var colon = authority.LastIndexOf(':');
        host = colon > 0 ? authority[..colon].Trim('[', ']') : authority;
        port = 0;
        return colon > 0 && int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }

    /// <summary>Where a tunnel goes: the next hop, its cluster and flag, the destination workload and, through a
    /// sidecar, what the preface says.</summary>
    private sealed record TunnelRoute(DnsEndPoint? Target, string? ClusterName, ResponseFlags Flags, UpstreamCluster? Cluster, WorkloadPeer Destination, PeerHop? Peer);

    /// <summary>The preface's service authority and application port; plaintext when the port's own sidecar refuses TLS.</summary>
    private sealed record PeerHop(string Authority, int Port, bool Plaintext);

    /// <summary>The sidecars of the pods this proxy knows, by pod address; built once per snapshot, on first use.</summary>
    private sealed class PodSidecars
    {
        private readonly Dictionary<string, string> _byAddress = new(StringComparer.OrdinalIgnoreCase);

        public PodSidecars(ProxySnapshot snapshot)
        {
            Snapshot = snapshot;
            foreach (var cluster in snapshot.Clusters.Values)
            {
                foreach (var endpoint in cluster.Source.Endpoints)
                {
                    if (endpoint.Sidecar.Length > 0)
                    {
                        _byAddress.TryAdd(endpoint.Address, endpoint.Sidecar);
                    }
                }
            }
        }

        public ProxySnapshot Snapshot { get; }

        public string? Find(string address) => _byAddress.GetValueOrDefault(address);
    }
}
