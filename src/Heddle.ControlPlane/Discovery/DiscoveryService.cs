using Grpc.Core;
using Heddle.ControlPlane.Push;
using Heddle.ControlPlane.Registry;
using Heddle.ControlPlane.Security;
using Heddle.ControlPlane.Telemetry;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging;

namespace Heddle.ControlPlane.Discovery;

/// <summary>The discovery server: one stream per proxy, a full snapshot first, then deltas against what the proxy
/// last acknowledged, one response in flight at a time.</summary>
public sealed class DiscoveryService : Heddle.Discovery.V1.Discovery.DiscoveryBase
{
    private readonly PodRegistry _pods;
    private readonly ProxyConnections _connections;
    private readonly PushCoordinator _push;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly ControlPlaneMetrics _metrics;
    private readonly CertificateSigning? _certificates;

    /// <param name="stopping">Cancelled when the server shuts down, to end every open stream.</param>
    /// <param name="metrics">Where connections, pushes and answers are counted (default: the process's).</param>
    /// <param name="certificates">Answers certificate signing requests (none: they are ignored).</param>
    public DiscoveryService(PodRegistry pods, ProxyConnections connections, PushCoordinator push, ILogger<DiscoveryService> logger, CancellationToken stopping, ControlPlaneMetrics? metrics = null, CertificateSigning? certificates = null)
    {
        _certificates = certificates;
        _metrics = metrics ?? ControlPlaneMetrics.Shared;
        _pods = pods;
        _connections = connections;
        _push = push;
        _logger = logger;
        _stopping = stopping;
    }

    public override async Task Stream(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context)
    {
        using var callEnded = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping);
        var cancellationToken = callEnded.Token;
        if (!await requestStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var first = requestStream.Current;
        if (first.Node is null || string.IsNullOrEmpty(first.Node.Id))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first request of a stream must carry the proxy's node with an id"));
        }

        var node = first.Node;
        // A proxy that has not proven the identity it claims gets configuration (it has no certificate, so no peer
        // accepts it), but never becomes an endpoint that others would send requests to.
        PodRegistry.Registration registration;
        if (_certificates is not null && !_certificates.TryProve(node, out _, out var refusal))
        {
            Log.ProxyNotAuthenticated(_logger, node.Id, refusal);
            registration = PodRegistry.Registration.Unlisted(node.Id);
        }
        else
        {
            registration = _pods.Register(ConnectedPod.FromNode(node, first.Health));
        }

        _metrics.Changed();
        var connection = new ProxyConnection(node, registration, _metrics);
        _connections.Add(connection);
        _metrics.ProxyConnected();
        Log.ProxyConnected(_logger, node.Id, node.PodName, node.Namespace, node.Workload, node.PodIp);
        using var streamEnded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Pushes and certificate answers share the response stream.
        var responses = new SerializedStreamWriter<DiscoveryResponse>(responseStream);
        Task? sending = null;
        var saidGoodbye = false;
        try
        {
            _push.Refresh(connection);
            sending = SendAsync(connection, responses, streamEnded);
            try
            {
                await AnswerCertificateAsync(node, first, responses, streamEnded.Token).ConfigureAwait(false);
                await ReceiveAsync(connection, requestStream, responses, streamEnded.Token).ConfigureAwait(false);
                // The proxy ended its side of the stream: it is shutting down, and its pod leaves the endpoints now.
                saidGoodbye = true;
            }
            finally
            {
                await streamEnded.CancelAsync().ConfigureAwait(false);
            }

            // Surfaces a failed write; a sender that stopped because the stream ended returns normally.
            await sending.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException || (exception is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
            // When a write failed, the receiver only saw the cancellation that followed; the write's error is the news.
            var reason = sending is { IsFaulted: true } ? sending.Exception.GetBaseException().Message : exception.Message;
            Log.StreamEnded(_logger, node.Id, reason);
        }
        finally
        {
            _connections.Remove(connection);
            _metrics.ProxyDisconnected();
            if (saidGoodbye)
            {
                _pods.Leave(registration);
            }
            else
            {
                // A broken stream: the pod keeps its endpoints while its proxy reconnects.
                _pods.Disconnect(registration);
            }

            _metrics.Changed();
            Log.ProxyDisconnected(_logger, node.Id);
        }
    }

    private Task AnswerCertificateAsync(Node node, DiscoveryRequest request, IServerStreamWriter<DiscoveryResponse> responses, CancellationToken cancellationToken) =>
        _certificates is null ? Task.CompletedTask : _certificates.AnswerAsync(node, request, responses, cancellationToken);

    private async Task ReceiveAsync(ProxyConnection connection, IAsyncStreamReader<DiscoveryRequest> requests, IServerStreamWriter<DiscoveryResponse> responses, CancellationToken cancellationToken)
    {
        while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var request = requests.Current;
            await AnswerCertificateAsync(connection.Node, request, responses, cancellationToken).ConfigureAwait(false);
            // UNKNOWN is the field's default: a request that does not say (an ack, say) leaves the health as it was.
            if (request.Health != WorkloadHealth.Unknown && _pods.UpdateHealth(connection.Registration, request.Health))
            {
                _metrics.Changed();
                Log.HealthChanged(_logger, connection.Id, request.Health.ToString());
            }

            if (connection.OnRequest(request) == ProxyConnection.Answer.Rejected)
            {
                var status = connection.GetStatus();
                Log.Rejected(_logger, connection.Id, status.SentVersion, status.LastRejection, status.Rejections);
            }
        }
    }

    /// <summary>Sends whatever the connection has to send until the stream ends; a failed write ends the stream.</summary>
    private async Task SendAsync(ProxyConnection connection, IServerStreamWriter<DiscoveryResponse> responses, CancellationTokenSource streamEnded)
    {
        var cancellationToken = streamEnded.Token;
        try
        {
            while (await connection.WaitToSendAsync(cancellationToken).ConfigureAwait(false))
            {
                connection.ConsumeWakeUp();
                while (connection.TryTakeNextResponse(out var outgoing))
                {
                    var response = outgoing.Response;
                    await responses.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                    _metrics.PushSent();
                    Log.Pushed(_logger, connection.Id, response.Version, response.BaseVersion.Length == 0 ? "full" : response.BaseVersion, outgoing.Delta.Upserted.Length, outgoing.Delta.Removed.Length);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch
        {
            await streamEnded.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
