using System.Net;
using System.Net.Sockets;
using Heddle.Discovery.V1;
using Heddle.Proxy.Authorization;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Security;
using Heddle.Proxy.Telemetry;
using Heddle.Proxy.Telemetry.Metrics;
using Heddle.Proxy.Upstreams;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Heddle.Proxy.Listeners;

/// <summary>
/// The server end of a TCP tunnel from another sidecar on the inbound listener (after TLS, when the peer used it):
/// reads the <see cref="TunnelPreface"/>, enforces the port's peer authentication and the workload's
/// AuthorizationPolicies for TCP, connects the application port and relays. A refused connection is closed (after a
/// 403 answer that tells the client sidecar why), logged with Envoy's <c>rbac_access_denied_matched_policy[...]</c>
/// detail, and counted; a relayed one is reported with <c>reporter="destination"</c> and the source workload the
/// preface named.
/// </summary>
internal sealed class InboundTcpTunnel(
    SnapshotStore store, AccessLog accessLog, MeshTelemetry telemetry, TimeProvider timeProvider, TimeSpan connectTimeout, ILogger logger)
{
    /// <summary>Istio's name for inbound traffic to a port the workload does not declare.</summary>
    public const string PassthroughCluster = "InboundPassthroughCluster";

    private const int ReservedPortsFirst = 15000;
    private const int ReservedPortsLast = 15099;

    public async Task HandleAsync(ConnectionContext connection, PeerIdentity? peer, string? serverName)
    {
        var started = timeProvider.GetTimestamp();
        TunnelRequest? request;
        string? error;
        using (var timeout = new CancellationTokenSource(ListenerConnectionMiddleware.FirstBytesTimeout, timeProvider))
        {
            try
            {
                (request, error) = await TunnelPreface.ReadRequestAsync(connection.Transport.Input, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (request is null)
        {
            ProxyLog.ConnectionRejected(logger, connection.ConnectionId, error ?? "bad tunnel request");
            await AnswerAsync(connection, 400).ConfigureAwait(false);
            return;
        }

        var snapshot = store.Current;
        var target = Target(snapshot, request.Port);
        if (target is null)
        {
            ProxyLog.ConnectionRejected(logger, connection.ConnectionId, "tunnel for port " + request.Port + ", which this sidecar does not relay to");
            await AnswerAsync(connection, 404).ConfigureAwait(false);
            return;
        }

        // Each tunnel is its own connection, so the port's own mode decides (HTTP shares one connection for all ports).
        if (target.MtlsMode == PeerAuthenticationMode.PeerAuthenticationStrict && peer is null)
        {
            SecurityLog.InboundRefused(logger, connection.ConnectionId, "plaintext TCP connection to port " + request.Port + ", but its peer authentication is STRICT");
            return;
        }

        if (target.MtlsMode == PeerAuthenticationMode.PeerAuthenticationDisable && peer is not null)
        {
            SecurityLog.InboundRefused(logger, connection.ConnectionId, "mutual TLS connection to port " + request.Port + ", but its peer authentication is DISABLE");
            return;
        }

        var source = telemetry.Peers.Resolve(request.PeerMetadata);
        var service = telemetry.FromInboundAuthority(request.Authority);
        var security = peer is null ? SecurityPolicy.None : SecurityPolicy.MutualTls;
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var local = (connection.LocalEndPoint as IPEndPoint)?.Address;
        if (!snapshot.Authorization.IsEmpty)
        {
            // CUSTOM policies call an HTTP authorizer: they do not apply to TCP.
            var decision = snapshot.Authorization.Evaluate(AuthorizationInput.Tcp(request.Port, peer?.Principal, peer?.Namespace, serverName, remote, local));
            if (!decision.Allowed)
            {
                var details = decision.Details();
                SecurityLog.TcpDenied(logger, connection.ConnectionId, request.Port, peer?.Principal ?? remote?.ToString() ?? "-", details);
                await AnswerAsync(connection, 403).ConfigureAwait(false);
                Finish(started, request, target, source, service, security, ResponseFlags.None, details);
                return;
            }
        }

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        // Not the connection's ConnectionClosed, which a client's half-close signals: it may still wait for the answer.
        if (!await TryConnectAsync(socket, target).ConfigureAwait(false))
        {
            await AnswerAsync(connection, 503).ConfigureAwait(false);
            Finish(started, request, target, source, service, security, ResponseFlags.UpstreamConnectionFailure, null);
            return;
        }

        await connection.Transport.Output.WriteAsync(TunnelPreface.Response(200, telemetry.LocalMetadata)).ConfigureAwait(false);
        var series = telemetry.Metrics.Tcp(new TcpSeriesKey(Reporter.Destination, source, telemetry.Local, service, ResponseFlags.None, security));
        series.OnOpened();
        var counts = new RelayCounts();
        await using (var stream = new NetworkStream(socket, ownsSocket: false))
        {
            await TcpRelay.PumpAsync(connection.Transport, stream, socket, counts).ConfigureAwait(false);
        }

        series.OnClosed(received: counts.FromDownstream, sent: counts.ToDownstream);
        Log(started, request, target, 200, ResponseFlags.None, counts, null);
    }

    /// <summary>A declared port, or Istio's passthrough for an undeclared one (with the workload's mode). The mesh's
    /// own range (15000–15099: this proxy's admin, listeners, metrics) is never a passthrough destination, as Istio's
    /// capture leaves those ports out.</summary>
    private static InboundTarget? Target(ProxySnapshot snapshot, int port)
    {
        if (snapshot.Inbound.Find(port) is { } declared)
        {
            return declared;
        }

        if (port is >= ReservedPortsFirst and <= ReservedPortsLast
            || snapshot.Inbound.AppAddress.Length == 0
            || !snapshot.Resources.TryGetValue("inbound", out var resource) || resource.Inbound is not { } inbound)
        {
            return null;
        }

        return new InboundTarget(snapshot.Inbound.AppAddress, new InboundPort
        {
            Port = (uint)port,
            Protocol = Protocol.Tcp,
            MtlsMode = inbound.MtlsMode,
        }, PassthroughCluster);
    }

    private void Finish(
        long started, TunnelRequest request, InboundTarget target, WorkloadPeer source, ServiceTarget service, SecurityPolicy security,
        ResponseFlags flags, string? details)
    {
        // As Envoy, a connection that never reached the application is counted as opened and closed, with its flag.
        var series = telemetry.Metrics.Tcp(new TcpSeriesKey(Reporter.Destination, source, telemetry.Local, service, flags, security));
        series.OnOpened();
        series.OnClosed(0, 0);
        Log(started, request, target, 0, flags, null, details);
    }

    private void Log(long started, TunnelRequest request, InboundTarget target, int code, ResponseFlags flags, RelayCounts? counts, string? details)
    {
        if (!accessLog.Accepts(code))
        {
            return;
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        accessLog.Write(new AccessLogEntry(
            timeProvider.GetUtcNow() - elapsed, "CONNECT", request.Authority, null, "TCP", code, flags,
            counts?.FromDownstream ?? 0, counts?.ToDownstream ?? 0, (long)elapsed.TotalMilliseconds, null, null, null, request.Authority,
            target.UpstreamHost, target.ClusterName, null, null, details));
    }

    private async Task<bool> TryConnectAsync(Socket socket, InboundTarget target)
    {
        using var timeout = new CancellationTokenSource(connectTimeout, timeProvider);
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(target.AppAddress, target.Port), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task AnswerAsync(ConnectionContext connection, int status)
    {
        try
        {
            await connection.Transport.Output.WriteAsync(TunnelPreface.Response(status, null)).ConfigureAwait(false);
            await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }
}
