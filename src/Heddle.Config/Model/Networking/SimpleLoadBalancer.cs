namespace Heddle.Config.Model;

/// <summary>Standard load balancing algorithms (Istio's <c>SimpleLB</c>).</summary>
public enum SimpleLoadBalancer
{
    /// <summary>The proxy's default (least request).</summary>
    Unspecified,

    /// <summary>Deprecated alias of <see cref="LeastRequest"/>.</summary>
    LeastConn,

    /// <summary>A random endpoint.</summary>
    Random,

    /// <summary>The original destination address, no load balancing.</summary>
    Passthrough,

    /// <summary>Endpoints in turn.</summary>
    RoundRobin,

    /// <summary>The endpoint with fewer active requests of two random picks.</summary>
    LeastRequest,
}
