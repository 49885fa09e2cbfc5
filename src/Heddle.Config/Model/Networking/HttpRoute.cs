using Heddle.Config.Binding;

namespace Heddle.Config.Model;

/// <summary>One HTTP route: match conditions and what to do with matching requests.</summary>
public sealed record HttpRoute
{
    /// <summary>Route name, for logs and debugging.</summary>
    public string? Name { get; init; }

    /// <summary>Conditions, ORed; empty matches every request.</summary>
    public ImmutableArray<HttpMatchRequest> Match { get; init; } = [];

    /// <summary>Weighted destinations.</summary>
    public ImmutableArray<HttpRouteDestination> Route { get; init; } = [];

    /// <summary>Answer with a redirect instead of forwarding.</summary>
    public HttpRedirect? Redirect { get; init; }

    /// <summary>Answer with a fixed response instead of forwarding.</summary>
    public HttpDirectResponse? DirectResponse { get; init; }

    /// <summary>Hand the request to the routes of another VirtualService.</summary>
    public RouteDelegate? Delegate { get; init; }

    /// <summary>Rewrite the path or authority before forwarding.</summary>
    public HttpRewrite? Rewrite { get; init; }

    /// <summary>Request timeout; none when absent.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Retry policy.</summary>
    public HttpRetry? Retries { get; init; }

    /// <summary>Fault injection (delays and aborts).</summary>
    public HttpFaultInjection? Fault { get; init; }

    /// <summary>Mirror (shadow) traffic to this destination as well.</summary>
    public Destination? Mirror { get; init; }

    /// <summary>Mirror traffic to several destinations.</summary>
    public ImmutableArray<HttpMirrorPolicy> Mirrors { get; init; } = [];

    /// <summary>Deprecated percentage of traffic mirrored (0..100); use <see cref="MirrorPercentage"/>.</summary>
    [Between(0, 100), Deprecated("use mirrorPercentage")]
    public int? MirrorPercent { get; init; }

    /// <summary>Percentage of traffic mirrored to <see cref="Mirror"/>.</summary>
    public Percent? MirrorPercentage { get; init; }

    /// <summary>Cross-origin resource sharing policy.</summary>
    public CorsPolicy? CorsPolicy { get; init; }

    /// <summary>Header manipulation for requests and responses.</summary>
    public Headers? Headers { get; init; }
}
