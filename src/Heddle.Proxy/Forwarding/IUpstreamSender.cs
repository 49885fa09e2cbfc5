using Heddle.Proxy.Upstreams;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Forwarding;

/// <summary>Sends one try of a request to one endpoint (the outbound handler, which keeps the load balancer's books).</summary>
internal interface IUpstreamSender
{
    ValueTask<ForwarderError> SendAsync(HttpContext context, UpstreamCluster cluster, UpstreamEndpoint endpoint, HttpTransformer transformer, CancellationToken cancellationToken);
}
