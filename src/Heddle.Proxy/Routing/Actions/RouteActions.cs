using Heddle.Proxy.Forwarding.Retries;

namespace Heddle.Proxy.Routing.Actions;

/// <summary>
/// Everything a route does besides picking a cluster, compiled once per snapshot. A route that uses none of it
/// shares <see cref="Plain"/> (or <see cref="DefaultRetries"/>) and its requests take the path that allocates nothing.
/// </summary>
internal sealed class RouteActions
{
    /// <summary>No action and no retries.</summary>
    public static RouteActions Plain { get; } = new();

    /// <summary>No action besides Istio's default retry policy.</summary>
    public static RouteActions DefaultRetries { get; } = new() { Retry = RetryPolicy.IstioDefault };

    public RedirectAction? Redirect { get; init; }

    public DirectResponseAction? DirectResponse { get; init; }

    public PathRewrite? PathRewrite { get; init; }

    /// <summary>The authority sent upstream instead of the client's.</summary>
    public string? AuthorityRewrite { get; init; }

    public HeaderMutation? RequestHeaders { get; init; }

    public HeaderMutation? ResponseHeaders { get; init; }

    /// <summary>Per destination (by cluster index), or null when no destination has header changes.</summary>
    public HeaderMutation?[]? DestinationRequestHeaders { get; init; }

    public HeaderMutation?[]? DestinationResponseHeaders { get; init; }

    /// <summary>Zero: no route timeout.</summary>
    public TimeSpan Timeout { get; init; }

    public RetryPolicy? Retry { get; init; }

    public FaultPolicy? Fault { get; init; }

    public MirrorTarget[] Mirrors { get; init; } = [];

    public CorsPolicy? Cors { get; init; }

    /// <summary>Something happens before the forwarding decision: a fault, CORS, or an answer from the proxy itself.</summary>
    public bool ActsBeforeForwarding => Fault is not null || Cors is not null || Redirect is not null || DirectResponse is not null;

    /// <summary>Forwarding needs per-request state (anything beyond Istio's default retries).</summary>
    public bool NeedsRequestState { get; private set; }

    /// <summary>Computes the derived flags; called once after construction.</summary>
    public RouteActions Seal()
    {
        NeedsRequestState = PathRewrite is not null || AuthorityRewrite is not null || RequestHeaders is not null
            || ResponseHeaders is not null || DestinationRequestHeaders is not null || DestinationResponseHeaders is not null
            || Timeout > TimeSpan.Zero || (Retry is not null && !Retry.IsIstioDefault) || Mirrors.Length > 0 || Cors is not null;
        return this;
    }
}
