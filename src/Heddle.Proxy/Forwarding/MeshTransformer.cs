using Heddle.Discovery;
using Heddle.Proxy.Forwarding.Retries;
using Heddle.Proxy.Telemetry.Metrics;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>
/// Copies the request as the forwarder does and keeps the original Host / :authority, so the application sees the
/// name the client used. Towards a peer sidecar it adds the inbound-port header; towards an application it removes it.
/// One instance per distinct header value, created with the snapshot, so the request path allocates nothing here.
/// Each has a twin for tries that Istio's default retry policy may repeat: it holds back a retriable response
/// (503, gRPC UNAVAILABLE or CANCELLED) instead of passing it to the client.
/// </summary>
internal sealed class MeshTransformer : HttpTransformer
{
    private readonly string? _inboundPort;
    private readonly RetryPolicy? _holdBack;

    private MeshTransformer(string? inboundPort, RetryPolicy? holdBack)
    {
        _inboundPort = inboundPort;
        _holdBack = holdBack;
        RetryingDefault = holdBack is null ? new MeshTransformer(inboundPort, RetryPolicy.IstioDefault) : this;
    }

    /// <summary>For requests that go straight to an application (no mesh header).</summary>
    public static MeshTransformer Direct { get; } = new(null, null);

    /// <summary>For requests to a peer sidecar's inbound listener, on behalf of the workload port <paramref name="port"/>.</summary>
    public static MeshTransformer ToSidecar(string port) => new(port, null);

    public string? InboundPort => _inboundPort;

    /// <summary>The same transformer for a try that Istio's default retry policy may repeat.</summary>
    public MeshTransformer RetryingDefault { get; }

    public override ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var copied = base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (!copied.IsCompletedSuccessfully)
        {
            return AfterCopyAsync(copied, httpContext, proxyRequest);
        }

        Apply(httpContext, proxyRequest);
        return default;
    }

    /// <summary>
    /// Peer metadata on responses: the inbound side answers a peer sidecar with its own, the outbound side removes the
    /// peer's before the response reaches the workload. A retriable response the route may retry is held back instead.
    /// </summary>
    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (_holdBack is not null && proxyResponse is not null && _holdBack.RetriesResponse(proxyResponse, httpContext.Request.Headers) && RequestBodyBuffer.CanReplay(httpContext))
        {
            RetryHold.Mark(httpContext);
            return new ValueTask<bool>(false);
        }

        var copied = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (!copied.IsCompletedSuccessfully)
        {
            return AfterResponseCopyAsync(copied, httpContext);
        }

        ApplyResponse(httpContext);
        return copied;
    }

    private static async ValueTask<bool> AfterResponseCopyAsync(ValueTask<bool> copied, HttpContext httpContext)
    {
        var result = await copied.ConfigureAwait(false);
        ApplyResponse(httpContext);
        return result;
    }

    private static void ApplyResponse(HttpContext httpContext)
    {
        var headers = httpContext.Response.Headers;
        if (httpContext.Features.Get<LocalPeerFeature>() is { Inbound: true } local
            && httpContext.Request.Headers.ContainsKey(MeshHeaders.PeerMetadata))
        {
            headers[MeshHeaders.PeerMetadata] = local.Metadata;
        }
        else
        {
            headers.Remove(MeshHeaders.PeerMetadata);
        }
    }

    private async ValueTask AfterCopyAsync(ValueTask copied, HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        await copied.ConfigureAwait(false);
        Apply(httpContext, proxyRequest);
    }

    private void Apply(HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        var headers = proxyRequest.Headers;
        // A workload cannot choose the port on the peer: only this proxy sets the header.
        headers.Remove(MeshHeaders.InboundPort);
        headers.Remove(MeshHeaders.PeerMetadata);
        if (_inboundPort is not null)
        {
            headers.TryAddWithoutValidation(MeshHeaders.InboundPort, _inboundPort);
            if (httpContext.Features.Get<LocalPeerFeature>() is { } local)
            {
                headers.TryAddWithoutValidation(MeshHeaders.PeerMetadata, local.Metadata);
            }
        }

        var host = httpContext.Request.Host.Value;
        if (!string.IsNullOrEmpty(host) && !headers.NonValidated.Contains("Host"))
        {
            headers.TryAddWithoutValidation("Host", host);
        }
    }
}
