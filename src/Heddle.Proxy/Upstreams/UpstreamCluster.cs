using Heddle.Discovery.V1;
using Heddle.Proxy.Forwarding;
using Heddle.Proxy.LoadBalancing;
using Heddle.Proxy.Resilience;
using Yarp.ReverseProxy.Forwarder;

namespace Heddle.Proxy.Upstreams;

/// <summary>A cluster as the request path sees it: its endpoints, the load balancer that picks among them, and the
/// connection-pool limits and outlier detection of its DestinationRule.</summary>
internal sealed class UpstreamCluster
{
    public UpstreamCluster(
        Cluster source,
        UpstreamEndpoint[] endpoints,
        ILoadBalancer loadBalancer,
        CircuitBreaker? circuitBreaker = null,
        OutlierDetector? outlierDetector = null,
        ClusterConnections? connections = null)
    {
        Source = source;
        Name = source.Name;
        Endpoints = endpoints;
        LoadBalancer = loadBalancer;
        CircuitBreaker = circuitBreaker;
        OutlierDetector = outlierDetector;
        Connections = connections;
        IsPassthrough = source.LoadBalancer == LoadBalancerPolicy.LoadBalancerPassthrough;
    }

    /// <summary>The cluster as the control plane sent it.</summary>
    public Cluster Source { get; }

    public string Name { get; }

    public UpstreamEndpoint[] Endpoints { get; }

    public ILoadBalancer LoadBalancer { get; }

    /// <summary>The connection-pool limits, or null when the cluster has none.</summary>
    public CircuitBreaker? CircuitBreaker { get; }

    /// <summary>Outlier detection, or null when the cluster has none.</summary>
    public OutlierDetector? OutlierDetector { get; }

    /// <summary>The cluster's own connection pools (connect and idle timeouts, maxConnections), or null: the proxy's
    /// shared ones.</summary>
    public ClusterConnections? Connections { get; }

    /// <summary>Requests go to the host and port they name rather than to a listed endpoint.</summary>
    public bool IsPassthrough { get; }

    /// <summary>
    /// Builds the cluster from what the control plane sent. What did not change is kept from <paramref name="before"/>:
    /// the load balancer when the endpoints (<paramref name="endpoints"/> is then <paramref name="before"/>'s array, see
    /// <see cref="CanKeepEndpoints"/>) and policy are the same, the circuit breaker (with its requests in flight) when
    /// the limits are the same, the outlier detector when its policy is the same.
    /// </summary>
    public static UpstreamCluster Create(Cluster source, UpstreamCluster? before, UpstreamEndpoint[] endpoints, Random random, TimeProvider timeProvider)
    {
        var sameEndpoints = before is not null && ReferenceEquals(before.Endpoints, endpoints);
        var upstreamEndpoints = endpoints;
        var loadBalancer = sameEndpoints
            && before!.Source.LoadBalancer == source.LoadBalancer
            && Equals(before.Source.ConsistentHash, source.ConsistentHash)
                ? before.LoadBalancer
                : LoadBalancerFactory.Create(source, upstreamEndpoints, random);

        CircuitBreaker? breaker = null;
        if (source.ConnectionPool is { } limits)
        {
            breaker = before?.CircuitBreaker is { } kept && Equals(before.Source.ConnectionPool, limits) && before.Source.Protocol == source.Protocol
                ? kept
                : new CircuitBreaker(limits, http1: UpstreamProtocols.FromPortProtocol(source.Protocol) == UpstreamProtocol.Http1);
        }

        // A detector that is not kept is left alone, not disposed: the snapshot being built may still be rejected,
        // and the old one then keeps serving. An unused detector's sweep stops once nothing is ejected.
        OutlierDetector? detector = null;
        if (before?.OutlierDetector is { } previous && sameEndpoints && Equals(before.Source.OutlierDetection, source.OutlierDetection))
        {
            detector = previous;
        }

        if (detector is null && source.OutlierDetection is { } outlier)
        {
            detector = new OutlierDetector(outlier, upstreamEndpoints, timeProvider);
        }
        else if (detector is null && sameEndpoints)
        {
            // Outlier detection was turned off: nothing stays ejected.
            foreach (var endpoint in upstreamEndpoints)
            {
                endpoint.Outlier.Ejected = false;
                endpoint.SetEjected(false);
            }
        }

        var connections = ClusterConnections.For(source.ConnectionPool, before?.Connections);
        return new UpstreamCluster(source, upstreamEndpoints, loadBalancer, breaker, detector, connections);
    }

    /// <summary>The client that sends this cluster's requests: its own pools, else the proxy's shared ones.</summary>
    public HttpMessageInvoker ClientFor(UpstreamProtocol protocol, UpstreamClients shared, bool plaintext = false) =>
        Connections?.For(protocol, shared, plaintext) ?? shared.For(protocol, plaintext);

    /// <summary>The endpoint for this request (null: none is available).</summary>
    public UpstreamEndpoint? Pick(HttpContext context) => LoadBalancer.Pick(context);

    /// <summary>Admits the request under the connection-pool limits; a refused lease means overflow (503, UO).</summary>
    public ValueTask<CircuitBreaker.Lease> AdmitAsync(HttpContext context) =>
        CircuitBreaker is { } breaker ? breaker.LeaseAsync(context.RequestAborted) : new ValueTask<CircuitBreaker.Lease>(CircuitBreaker.Lease.Unlimited);

    /// <summary>Tells outlier detection how one attempt to <paramref name="endpoint"/> ended: its response status, or
    /// a local failure when the connection failed, broke or timed out. The client's own failures do not count.</summary>
    public void ReportOutcome(UpstreamEndpoint endpoint, HttpContext context, ForwarderError error)
    {
        if (OutlierDetector is not { } detector)
        {
            return;
        }

        switch (error)
        {
            case ForwarderError.None:
                detector.Report(endpoint, context.Response.StatusCode, localFailure: false);
                break;
            case ForwarderError.Request or ForwarderError.RequestCreation or ForwarderError.ResponseHeaders or ForwarderError.RequestTimedOut:
                detector.Report(endpoint, 0, localFailure: true);
                break;
        }
    }

    /// <summary>Whether <paramref name="before"/>'s endpoint objects (and their state) can serve <paramref name="source"/>.</summary>
    public static bool CanKeepEndpoints(UpstreamCluster before, Cluster source) =>
        SameEndpoints(before.Source, source)
        && before.Source.Protocol == source.Protocol
        && (before.Source.Tls?.Automatic ?? false) == (source.Tls?.Automatic ?? false);

    /// <summary>The same destinations in the same order (labels aside), each reached in the same way (a port whose peer
    /// authentication is DISABLE gets plaintext, <see cref="UpstreamEndpoint.Plaintext"/>).</summary>
    public static bool SameEndpoints(Cluster before, Cluster after)
    {
        if (before.Endpoints.Count != after.Endpoints.Count)
        {
            return false;
        }

        for (var i = 0; i < before.Endpoints.Count; i++)
        {
            var a = before.Endpoints[i];
            var b = after.Endpoints[i];
            if (a.Address != b.Address || a.Port != b.Port || a.Sidecar != b.Sidecar || a.Weight != b.Weight || a.Priority != b.Priority
                || a.Locality != b.Locality || a.LocalityWeight != b.LocalityWeight || a.MtlsDisabled != b.MtlsDisabled)
            {
                return false;
            }
        }

        return true;
    }
}
