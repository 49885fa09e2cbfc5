using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Connections;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// Relays the bytes of a CONNECT tunnel that carries neither HTTP/1 nor HTTP/2 (TLS, a database protocol, ...) to
/// an endpoint of the requested service, or to the requested host itself when the mesh does not know it and the
/// outbound traffic policy allows it.
/// </summary>
internal sealed class TcpTunnelRelay(
    SnapshotStore store, AccessLog accessLog, MeshTelemetry telemetry, Random random, TimeProvider timeProvider, TimeSpan connectTimeout)
{
    private const int ReadSize = 16 * 1024;

    public async Task RelayAsync(ConnectionContext connection, string authority)
    {
        var started = timeProvider.GetTimestamp();
        var (target, cluster, flags, upstream, endpoint) = Resolve(store.Current, authority);
        long sent = 0, received = 0;
        var connected = false;
        if (target is not null)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (await TryConnectAsync(socket, target, connection.ConnectionClosed).ConfigureAwait(false))
            {
                connected = true;
                var series = Series(authority, flags, upstream, endpoint);
                series.OnOpened();
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                (sent, received) = await PumpAsync(connection.Transport, stream, socket).ConfigureAwait(false);
                series.OnClosed(received: sent, sent: received);
            }
            else
            {
                flags = ResponseFlags.UpstreamConnectionFailure;
            }
        }

        if (!connected)
        {
            // As Envoy, a connection that never reached an upstream is counted as opened and closed, with its flag.
            var series = Series(authority, flags, upstream, endpoint);
            series.OnOpened();
            series.OnClosed(0, 0);
        }

        var code = flags == ResponseFlags.None ? 200 : 0;
        if (accessLog.Accepts(code))
        {
            var elapsed = timeProvider.GetElapsedTime(started);
            accessLog.Write(new AccessLogEntry(
                timeProvider.GetUtcNow() - elapsed, "CONNECT", authority, null, "TCP", code, flags,
                sent, received, (long)elapsed.TotalMilliseconds, null, null, null, authority, target?.ToString(), cluster, null));
        }
    }

    /// <summary>The TCP series of a tunnel, reported by this (the client's) sidecar.</summary>
    private TcpSeries Series(string authority, ResponseFlags flags, UpstreamCluster? cluster, UpstreamEndpoint? endpoint)
    {
        ServiceTarget service;
        var destination = WorkloadPeer.Unknown;
        if (cluster is not null && !cluster.IsPassthrough)
        {
            var clusterTelemetry = telemetry.For(cluster);
            service = clusterTelemetry.Service;
            destination = clusterTelemetry.PeerOf(endpoint);
        }
        else
        {
            service = cluster is not null || flags == ResponseFlags.None
                ? telemetry.FromPassthroughAuthority(authority)
                : telemetry.FromOutboundAuthority(authority);
        }

        return telemetry.Metrics.Tcp(new TcpSeriesKey(Reporter.Source, telemetry.Local, destination, service, flags, SecurityPolicy.Unknown));
    }

    private (DnsEndPoint? Target, string? Cluster, ResponseFlags Flags, UpstreamCluster? Upstream, UpstreamEndpoint? Endpoint) Resolve(ProxySnapshot snapshot, string authority)
    {
        var virtualHost = snapshot.Routes.Find(authority, 443);
        if (virtualHost is null)
        {
            return snapshot.OutboundTrafficPolicy == ProxySettings.Types.OutboundTrafficPolicy.AllowAny && TrySplit(authority, out var host, out var port)
                ? (new DnsEndPoint(host, port), "PassthroughCluster", ResponseFlags.None, null, null)
                : (null, null, ResponseFlags.NoRoute, null, null);
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
                return (new DnsEndPoint(host, port), cluster.Name, ResponseFlags.None, cluster, null);
            }

            var endpoint = cluster.LoadBalancer.Pick();
            return endpoint is null
                ? (null, cluster.Name, ResponseFlags.NoHealthyUpstream, cluster, null)
                : (new DnsEndPoint(endpoint.Address, endpoint.Port), cluster.Name, ResponseFlags.None, cluster, endpoint);
        }

        return (null, null, ResponseFlags.NoRoute, null, null);
    }

    private async Task<bool> TryConnectAsync(Socket socket, DnsEndPoint target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Copies both directions. The client closing its side is passed on as a half-close (the upstream may still answer);
    /// the upstream closing, or either side failing, ends the tunnel.
    /// </summary>
    private static async Task<(long Sent, long Received)> PumpAsync(IDuplexPipe client, NetworkStream upstream, Socket socket)
    {
        var toUpstream = CopyToUpstreamAsync(client.Input, upstream, socket);
        var toClient = CopyToClientAsync(upstream, client.Output);
        var first = await Task.WhenAny(toUpstream, toClient).ConfigureAwait(false);
        if (first == toClient)
        {
            client.Input.CancelPendingRead();
        }
        else if (!toUpstream.IsCompletedSuccessfully)
        {
            socket.Close();
        }

        return (await CountAsync(toUpstream).ConfigureAwait(false), await CountAsync(toClient).ConfigureAwait(false));
    }

    private static async Task<long> CountAsync(Task<long> copy)
    {
        try
        {
            return await copy.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ConnectionResetException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static async Task<long> CopyToUpstreamAsync(PipeReader input, NetworkStream upstream, Socket socket)
    {
        long total = 0;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                {
                    await upstream.WriteAsync(segment).ConfigureAwait(false);
                    total += segment.Length;
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        finally
        {
            try
            {
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        return total;
    }

    private static async Task<long> CopyToClientAsync(NetworkStream upstream, PipeWriter output)
    {
        long total = 0;
        while (true)
        {
            var memory = output.GetMemory(ReadSize);
            var read = await upstream.ReadAsync(memory).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            output.Advance(read);
            total += read;
            var flush = await output.FlushAsync().ConfigureAwait(false);
            if (flush.IsCompleted || flush.IsCanceled)
            {
                break;
            }
        }

        await output.CompleteAsync().ConfigureAwait(false);
        return total;
    }

    private static bool TrySplit(string authority, out string host, out int port)
    {
        var colon = authority.LastIndexOf(':');
        host = colon > 0 ? authority[..colon].Trim('[', ']') : authority;
        port = 0;
        return colon > 0 && int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }
}
