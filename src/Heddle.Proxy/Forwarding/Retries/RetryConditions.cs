namespace Heddle.Proxy.Forwarding.Retries;

/// <summary>Envoy's retry conditions (<c>retryOn</c>), as flags so that a check is one AND.</summary>
[Flags]
internal enum RetryConditions
{
    None = 0,

    /// <summary>5xx: any 5xx response, a reset, a connect failure, a refused stream or a per-try timeout.</summary>
    FiveXx = 1 << 0,

    /// <summary>gateway-error: 502, 503 or 504, a reset, a connect failure or a per-try timeout.</summary>
    GatewayError = 1 << 1,

    /// <summary>reset: no response at all (disconnect, reset, per-try timeout).</summary>
    Reset = 1 << 2,

    /// <summary>connect-failure: the connection could not be opened.</summary>
    ConnectFailure = 1 << 3,

    /// <summary>refused-stream: the upstream refused the HTTP/2 stream (REFUSED_STREAM).</summary>
    RefusedStream = 1 << 4,

    /// <summary>retriable-4xx: 409.</summary>
    Retriable4xx = 1 << 5,

    /// <summary>retriable-status-codes: the policy's status codes.</summary>
    RetriableStatusCodes = 1 << 6,

    /// <summary>gRPC status CANCELLED (1) in the response headers.</summary>
    Cancelled = 1 << 7,

    /// <summary>gRPC status DEADLINE_EXCEEDED (4).</summary>
    DeadlineExceeded = 1 << 8,

    /// <summary>gRPC status RESOURCE_EXHAUSTED (8).</summary>
    ResourceExhausted = 1 << 9,

    /// <summary>gRPC status INTERNAL (13).</summary>
    Internal = 1 << 10,

    /// <summary>gRPC status UNAVAILABLE (14).</summary>
    Unavailable = 1 << 11,

    AnyGrpc = Cancelled | DeadlineExceeded | ResourceExhausted | Internal | Unavailable,

    /// <summary>reset-before-request: no response, and the request never reached an upstream connection (a connect
    /// failure), so that even a non-idempotent request is safe to send again.</summary>
    ResetBeforeRequest = 1 << 12,

    /// <summary>retriable-headers: the response carries a header the request named in
    /// <c>x-envoy-retriable-header-names</c> (Istio has no field for Envoy's configured list).</summary>
    RetriableHeaders = 1 << 13,

    /// <summary>envoy-ratelimited: the response carries <c>x-envoy-ratelimited</c>. Without it such a response is never
    /// retried, whatever else the policy says.</summary>
    EnvoyRateLimited = 1 << 14,
}

internal static class RetryConditionNames
{
    /// <summary>The flag of one <c>retryOn</c> entry; None for a name Heddle does not know (it is ignored, as Envoy ignores unknown names).</summary>
    public static RetryConditions Parse(string name) => name switch
    {
        "5xx" => RetryConditions.FiveXx,
        "gateway-error" => RetryConditions.GatewayError,
        "reset" => RetryConditions.Reset,
        "connect-failure" => RetryConditions.ConnectFailure,
        "refused-stream" => RetryConditions.RefusedStream,
        "retriable-4xx" => RetryConditions.Retriable4xx,
        "retriable-status-codes" => RetryConditions.RetriableStatusCodes,
        "cancelled" => RetryConditions.Cancelled,
        "deadline-exceeded" => RetryConditions.DeadlineExceeded,
        "resource-exhausted" => RetryConditions.ResourceExhausted,
        "internal" => RetryConditions.Internal,
        "unavailable" => RetryConditions.Unavailable,
        "reset-before-request" => RetryConditions.ResetBeforeRequest,
        "retriable-headers" => RetryConditions.RetriableHeaders,
        "envoy-ratelimited" => RetryConditions.EnvoyRateLimited,
        // http3-post-connect-failure concerns HTTP/3 upstream connections, which the proxy does not open.
        _ => RetryConditions.None,
    };
}
