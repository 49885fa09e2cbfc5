using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Forwarding.Retries;
using Microsoft.AspNetCore.Http;

namespace Heddle.Proxy.Tests.Forwarding.Retries;

public sealed class RetryPolicyTests
{
    private static RetryPolicy Policy(string retryOn, params uint[] codes)
    {
        var source = new RouteRetryPolicy { NumRetries = 3 };
        source.RetryOn.AddRange(retryOn.Split(','));
        source.RetriableStatusCodes.AddRange(codes);
        return RetryPolicy.From(source)!;
    }

    [Fact]
    public void From_ZeroRetries_IsNoPolicy() => Assert.Null(RetryPolicy.From(new RouteRetryPolicy { NumRetries = 0, RetryOn = { "5xx" } }));

    [Fact]
    public void From_IstioDefault_IsTheSharedInstance()
    {
        var source = new RouteRetryPolicy { NumRetries = 2, RetryOn = { "connect-failure", "refused-stream", "unavailable", "cancelled", "retriable-status-codes" }, RetriableStatusCodes = { 503 } };

        Assert.Same(RetryPolicy.IstioDefault, RetryPolicy.From(source));
    }

    [Theory]
    [InlineData("5xx", 500, true)]
    [InlineData("5xx", 404, false)]
    [InlineData("gateway-error", 503, true)]
    [InlineData("gateway-error", 500, false)]
    [InlineData("retriable-4xx", 409, true)]
    [InlineData("retriable-4xx", 429, false)]
    [InlineData("connect-failure", 503, false)]
    public void RetriesResponse_ByStatus(string retryOn, int status, bool expected) =>
        Assert.Equal(expected, Policy(retryOn).RetriesResponse(status, -1));

    [Fact]
    public void RetriesResponse_RetriableStatusCodes_UsesTheList()
    {
        var policy = Policy("retriable-status-codes", 429, 418);

        Assert.True(policy.RetriesResponse(429, -1));
        Assert.True(policy.RetriesResponse(418, -1));
        Assert.False(policy.RetriesResponse(503, -1));
    }

    [Theory]
    [InlineData("unavailable", 14, true)]
    [InlineData("cancelled", 1, true)]
    [InlineData("deadline-exceeded", 4, true)]
    [InlineData("resource-exhausted", 8, true)]
    [InlineData("internal", 13, true)]
    [InlineData("unavailable", 13, false)]
    public void RetriesResponse_GrpcStatusInHeaders(string retryOn, int grpcStatus, bool expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("grpc-status", grpcStatus.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, Policy(retryOn).RetriesResponse(response, new HeaderDictionary()));
    }

    [Theory]
    [InlineData("envoy-ratelimited", HttpStatusCode.TooManyRequests, true)]
    [InlineData("envoy-ratelimited,5xx", HttpStatusCode.ServiceUnavailable, true)]
    // A rate-limited answer is retried only under envoy-ratelimited, whatever its status.
    [InlineData("5xx", HttpStatusCode.ServiceUnavailable, false)]
    [InlineData("gateway-error,retriable-status-codes", HttpStatusCode.ServiceUnavailable, false)]
    public void RetriesResponse_RateLimitedByAnotherProxy_OnlyUnderEnvoyRateLimited(string retryOn, HttpStatusCode status, bool expected)
    {
        using var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation("x-envoy-ratelimited", "true");

        Assert.Equal(expected, Policy(retryOn, 503).RetriesResponse(response, new HeaderDictionary()));
    }

    [Fact]
    public void RetriesResponse_EnvoyRateLimited_WithoutTheHeader_IsNotRetried()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.False(Policy("envoy-ratelimited").RetriesResponse(response, new HeaderDictionary()));
    }

    [Theory]
    [InlineData("x-try-again", "x-other, X-Try-Again", true)]
    [InlineData("x-try-again", "x-other", false)]
    [InlineData("x-try-again", null, false)]
    public void RetriesResponse_RetriableHeaders_NamedByTheRequest(string responseHeader, string? requestList, bool expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation(responseHeader, "1");
        var request = new HeaderDictionary();
        if (requestList is not null)
        {
            request["x-envoy-retriable-header-names"] = requestList;
        }

        Assert.Equal(expected, Policy("retriable-headers").RetriesResponse(response, request));
    }

    [Theory]
    [InlineData("retriable-status-codes,unavailable")]
    [InlineData("retriable-headers,envoy-ratelimited,5xx")]
    public void RetriesResponse_DoesNotAllocate(string retryOn)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("x-upstream", "a");
        response.Headers.TryAddWithoutValidation("grpc-status", "0");
        var request = new HeaderDictionary { ["x-envoy-retriable-header-names"] = "x-other, x-more" };
        var policy = Policy(retryOn, 503);
        policy.RetriesResponse(response, request);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            policy.RetriesResponse(response, request);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void RetriesResponse_RetriableHeaders_OffWithoutTheCondition()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("x-try-again", "1");
        var request = new HeaderDictionary { ["x-envoy-retriable-header-names"] = "x-try-again" };

        Assert.False(Policy("5xx").RetriesResponse(response, request));
    }

    [Theory]
    [InlineData("connect-failure", nameof(FailureKind.ConnectFailure), true)]
    [InlineData("connect-failure", nameof(FailureKind.Reset), false)]
    [InlineData("reset", nameof(FailureKind.Reset), true)]
    [InlineData("reset", nameof(FailureKind.ConnectFailure), true)]
    [InlineData("5xx", nameof(FailureKind.PerTryTimeout), true)]
    [InlineData("gateway-error", nameof(FailureKind.RefusedStream), true)]
    [InlineData("refused-stream", nameof(FailureKind.RefusedStream), true)]
    [InlineData("retriable-4xx", nameof(FailureKind.ConnectFailure), false)]
    [InlineData("5xx", nameof(FailureKind.ClientGone), false)]
    [InlineData("reset-before-request", nameof(FailureKind.ConnectFailure), true)]
    [InlineData("reset-before-request", nameof(FailureKind.Reset), false)]
    [InlineData("reset-before-request", nameof(FailureKind.RefusedStream), false)]
    [InlineData("http3-post-connect-failure", nameof(FailureKind.ConnectFailure), false)]
    public void RetriesFailure_ByCondition(string retryOn, string failure, bool expected) =>
        Assert.Equal(expected, Policy(retryOn).RetriesFailure(Enum.Parse<FailureKind>(failure)));

    [Fact]
    public void Backoff_IsJitteredWithinEnvoysBounds()
    {
        var policy = Policy("5xx");
        var random = new Random(7);
        var seen = new HashSet<long>();
        for (var retry = 1; retry <= 6; retry++)
        {
            var ceiling = Math.Min(25 * ((1 << retry) - 1), 250);
            for (var i = 0; i < 200; i++)
            {
                var backoff = policy.Backoff(retry, random);
                Assert.InRange(backoff.TotalMilliseconds, 0, ceiling);
                seen.Add(backoff.Ticks);
            }
        }

        Assert.True(seen.Count > 100, "backoffs should be jittered");
    }
}
