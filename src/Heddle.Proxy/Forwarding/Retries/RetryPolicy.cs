using System.Net.Http;
using Heddle.Discovery.V1;

namespace Heddle.Proxy.Forwarding.Retries;

/// <summary>
/// A route's retry policy, compiled once per snapshot: how many retries, on which conditions, how long each try may
/// take and how long to wait between tries (Envoy's fully jittered exponential backoff).
/// </summary>
internal sealed class RetryPolicy
{
    /// <summary>Envoy's default base interval; the cap is ten times the base.</summary>
    public static readonly TimeSpan DefaultBackoffBase = TimeSpan.FromMilliseconds(25);

    private const int Http2RefusedStream = 0x7;

    /// <summary>Set by a proxy that rate-limited the request.</summary>
    public const string RateLimitedHeader = "x-envoy-ratelimited";

    /// <summary>Request header naming response headers that make the response retriable (retriable-headers).</summary>
    public const string RetriableHeaderNames = "x-envoy-retriable-header-names";

    private readonly int[] _statusCodes;

    public RetryPolicy(int numRetries, RetryConditions conditions, int[] statusCodes, TimeSpan perTryTimeout, TimeSpan backoffBase)
    {
        NumRetries = numRetries;
        Conditions = conditions;
        _statusCodes = statusCodes;
        PerTryTimeout = perTryTimeout;
        BackoffBase = backoffBase > TimeSpan.Zero ? backoffBase : DefaultBackoffBase;
    }

    /// <summary>Istio's policy for routes whose VirtualService says nothing about retries.</summary>
    public static RetryPolicy IstioDefault { get; } = new(
        2,
        RetryConditions.ConnectFailure | RetryConditions.RefusedStream | RetryConditions.Unavailable | RetryConditions.Cancelled | RetryConditions.RetriableStatusCodes,
        [503],
        TimeSpan.Zero,
        DefaultBackoffBase);

    public int NumRetries { get; }

    public RetryConditions Conditions { get; }

    /// <summary>Zero: a try may take what the route timeout leaves.</summary>
    public TimeSpan PerTryTimeout { get; }

    public TimeSpan BackoffBase { get; }

    public bool IsIstioDefault => ReferenceEquals(this, IstioDefault);

    /// <summary>Null when the policy allows no retry.</summary>
    public static RetryPolicy? From(RouteRetryPolicy? source)
    {
        if (source is null || source.NumRetries == 0)
        {
            return null;
        }

        var conditions = RetryConditions.None;
        foreach (var name in source.RetryOn)
        {
            conditions |= RetryConditionNames.Parse(name);
        }

        var codes = new int[source.RetriableStatusCodes.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (int)source.RetriableStatusCodes[i];
        }

        var perTry = TimeSpan.FromMilliseconds(source.PerTryTimeoutMs);
        var backoff = TimeSpan.FromMilliseconds(source.BackoffBaseMs);
        var candidate = new RetryPolicy((int)source.NumRetries, conditions, codes, perTry, backoff);
        return candidate.SameAs(IstioDefault) ? IstioDefault : candidate;
    }

    /// <summary>Whether an upstream response with this status (and gRPC status from its headers, -1 when none) is tried again.</summary>
    public bool RetriesResponse(int status, int grpcStatus)
    {
        var conditions = Conditions;
        if ((conditions & RetryConditions.FiveXx) != 0 && status >= 500)
        {
            return true;
        }

        if ((conditions & RetryConditions.GatewayError) != 0 && status is 502 or 503 or 504)
        {
            return true;
        }

        if ((conditions & RetryConditions.Retriable4xx) != 0 && status == 409)
        {
            return true;
        }

        if ((conditions & RetryConditions.RetriableStatusCodes) != 0 && Array.IndexOf(_statusCodes, status) >= 0)
        {
            return true;
        }

        return grpcStatus >= 0 && (conditions & RetryConditions.AnyGrpc) != 0 && RetriesGrpc(conditions, grpcStatus);
    }

    /// <summary>Whether a response's headers ask for a retry; reads grpc-status only when a gRPC condition is on.</summary>
    public bool RetriesResponse(HttpResponseMessage response, IHeaderDictionary requestHeaders)
    {
        var headers = response.Headers.NonValidated;
        if (headers.Contains(RateLimitedHeader))
        {
            // Another proxy limited the request: retried only under envoy-ratelimited (as Envoy does).
            return (Conditions & RetryConditions.EnvoyRateLimited) != 0;
        }

        if (RetriesResponse((int)response.StatusCode, (Conditions & RetryConditions.AnyGrpc) != 0 ? GrpcStatusOf(response) : -1))
        {
            return true;
        }

        if ((Conditions & RetryConditions.RetriableHeaders) == 0 || requestHeaders[RetriableHeaderNames].Count == 0)
        {
            return false;
        }

        foreach (var header in headers)
        {
            if (Named(requestHeaders[RetriableHeaderNames], header.Key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The same decision for a response that already reached the client (used to flag URX).</summary>
    public bool RetriesResponse(HttpResponse response, IHeaderDictionary requestHeaders, int grpcStatus)
    {
        if (response.Headers.ContainsKey(RateLimitedHeader))
        {
            return (Conditions & RetryConditions.EnvoyRateLimited) != 0;
        }

        if (RetriesResponse(response.StatusCode, grpcStatus))
        {
            return true;
        }

        if ((Conditions & RetryConditions.RetriableHeaders) == 0 || requestHeaders[RetriableHeaderNames].Count == 0)
        {
            return false;
        }

        foreach (var header in response.Headers)
        {
            if (Named(requestHeaders[RetriableHeaderNames], header.Key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="name"/> is one of the comma-separated names in <paramref name="lists"/>.</summary>
    private static bool Named(Microsoft.Extensions.Primitives.StringValues lists, string name)
    {
        foreach (var list in lists)
        {
            var rest = list.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var part = (comma < 0 ? rest : rest[..comma]).Trim();
                if (part.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                rest = comma < 0 ? default : rest[(comma + 1)..];
            }
        }

        return false;
    }

    /// <summary>Whether a failed try (no response) is tried again.</summary>
    public bool RetriesFailure(FailureKind failure)
    {
        var conditions = Conditions;
        var anyReset = RetryConditions.FiveXx | RetryConditions.GatewayError | RetryConditions.Reset;
        return failure switch
        {
            FailureKind.ConnectFailure => (conditions & (anyReset | RetryConditions.ConnectFailure | RetryConditions.ResetBeforeRequest)) != 0,
            FailureKind.RefusedStream => (conditions & (anyReset | RetryConditions.RefusedStream)) != 0,
            FailureKind.Reset or FailureKind.PerTryTimeout => (conditions & anyReset) != 0,
            _ => false,
        };
    }

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): uniform in [0, base·(2^retry − 1)], capped at ten times the base.</summary>
    public TimeSpan Backoff(int retry, Random random)
    {
        var baseTicks = BackoffBase.Ticks;
        var ceiling = Math.Min(baseTicks * ((1L << Math.Min(retry, 20)) - 1), baseTicks * 10);
        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling));
    }

    private static bool RetriesGrpc(RetryConditions conditions, int code) => code switch
    {
        1 => (conditions & RetryConditions.Cancelled) != 0,
        4 => (conditions & RetryConditions.DeadlineExceeded) != 0,
        8 => (conditions & RetryConditions.ResourceExhausted) != 0,
        13 => (conditions & RetryConditions.Internal) != 0,
        14 => (conditions & RetryConditions.Unavailable) != 0,
        _ => false,
    };

    private static int GrpcStatusOf(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("grpc-status", out var values))
        {
            return -1;
        }

        foreach (var value in values)
        {
            return int.TryParse(value, out var code) ? code : -1;
        }

        return -1;
    }

    /// <summary>Whether a failure was the upstream refusing an HTTP/2 stream.</summary>
    public static bool IsRefusedStream(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException { ErrorCode: Http2RefusedStream })
            {
                return true;
            }
        }

        return false;
    }

    private bool SameAs(RetryPolicy other) =>
        NumRetries == other.NumRetries
        && Conditions == other.Conditions
        && PerTryTimeout == other.PerTryTimeout
        && BackoffBase == other.BackoffBase
        && _statusCodes.AsSpan().SequenceEqual(other._statusCodes);
}

/// <summary>Why a try produced no response.</summary>
internal enum FailureKind
{
    None,
    ConnectFailure,
    RefusedStream,
    Reset,
    PerTryTimeout,
    RouteTimeout,
    ClientGone,
    Other,
}
