using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Forwarding;

/// <summary>
/// Route timeouts, retries, faults and mirrors through a real proxy against a real upstream that fails on purpose
/// and counts what reaches it, per path.
/// </summary>
public sealed class RouteActionForwardingTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private WebApplication _upstream = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _upstream = await StartUpstreamAsync(_net.Address(10), 8080);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        var cluster = ClusterName("flaky", Port);
        var closed = ClusterName("closed", Port);

        var bounded = Route(cluster, UriPrefix("/bounded"));
        bounded.TimeoutMs = 1000;
        bounded.RetryPolicy = Retries(20, "5xx", backoffMs: 50);

        var perTry = Route(cluster, UriPrefix("/per-try"));
        perTry.RetryPolicy = Retries(2, "5xx", perTryMs: 200);

        var grpcAbort = Route(cluster, UriPrefix("/grpc-abort"));
        grpcAbort.Fault = new RouteFault { HasAbortGrpcStatus = true, AbortGrpcStatus = 14, AbortPerMillion = 1_000_000 };

        var mirrored = Route(cluster, UriPrefix("/mirrored"));
        mirrored.Mirrors.Add(new RouteMirror { Cluster = closed, PerMillion = 1_000_000 });

        var big = Route(cluster, UriPrefix("/big"));
        big.RetryPolicy = Retries(3, "5xx");

        var limited5xx = Route(cluster, UriPrefix("/limited-5xx"));
        limited5xx.RetryPolicy = Retries(2, "5xx");

        var limitedRetried = Route(cluster, UriPrefix("/limited-retried"));
        limitedRetried.RetryPolicy = Retries(2, "envoy-ratelimited");

        var headers = Route(cluster, UriPrefix("/retriable-headers"));
        headers.RetryPolicy = Retries(2, "retriable-headers");

        var defaults = Route(cluster);
        defaults.RetryPolicy = Retries(2, "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes", codes: 503);

        _controlPlane.SetSnapshot("client-0.default", Full(
            "1",
            Cluster(cluster, Endpoint(_net.Address(10).ToString(), 8080)),
            // Nothing listens on port 1: every copy sent there fails.
            Cluster(closed, Endpoint(_net.Address(12).ToString(), 1)),
            VirtualHost("flaky", Port, bounded, perTry, grpcAbort, mirrored, big, limited5xx, limitedRetried, headers, defaults),
            Settings(ProxySettings.Types.OutboundTrafficPolicy.RegistryOnly)));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
        _http = _proxy.CreateProxiedClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task RouteTimeout_BoundsEveryRetryAndBackoff_Returns504UT()
    {
        var stopwatch = Stopwatch.StartNew();

        using var response = await _http.GetAsync($"http://flaky:{Port}/bounded/fail");

        stopwatch.Stop();
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(4));
        // Twenty retries would take several seconds of backoff: the timeout stopped them.
        Assert.InRange(Count("/bounded/fail"), 1, 20);
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/bounded/fail"), "the access log line");
        Assert.Contains(" 504 UT ", line);
    }

    [Fact]
    public async Task PerTryTimeout_RetriesSlowTries_ThenUTAndURX()
    {
        using var response = await _http.GetAsync($"http://flaky:{Port}/per-try/slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        await Eventually.WaitAsync(() => Task.FromResult(Count("/per-try/slow") == 3 ? "3" : null), "three tries");
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/per-try/slow"), "the access log line");
        Assert.Contains(" 504 UT,URX ", line);
    }

    [Fact]
    public async Task DefaultPolicy_RetriesGrpcUnavailable_ThenPassesTheLastAnswer()
    {
        using var response = await _http.GetAsync($"http://flaky:{Port}/grpc-unavailable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("14", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal(3, Count("/grpc-unavailable"));
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/grpc-unavailable"), "the access log line");
        Assert.Contains(" 200 URX ", line);
    }

    [Fact]
    public async Task GrpcAbort_AnswersTrailersOnlyStatus_WithFlagFI()
    {
        using var response = await _http.GetAsync($"http://flaky:{Port}/grpc-abort");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("14", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal(0, Count("/grpc-abort"));
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/grpc-abort"), "the access log line");
        Assert.Contains(" 200 FI ", line);
    }

    [Fact]
    public async Task FailingMirror_NeverFailsThePrimaryRequest()
    {
        using var response = await _http.PostAsync($"http://flaky:{Port}/mirrored/ok", new StringContent("body"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BodyAboveBufferLimit_IsForwardedWhole_ButNotRetried()
    {
        var body = new string('x', 100 * 1024);

        using var response = await _http.PostAsync($"http://flaky:{Port}/big/fail", new StringContent(body));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, Count("/big/fail"));
    }

    [Fact]
    public async Task SmallBody_IsReplayedOnEveryRetry()
    {
        using var response = await _http.PostAsync($"http://flaky:{Port}/big/echo-fail", new StringContent("ping"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, Count("/big/echo-fail"));
        Assert.Equal("ping", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChunkedBody_StreamsAndIsReplayedOnEveryRetry()
    {
        using var content = new StreamContent(new ChunkedOnly("chunked ping"u8.ToArray()));

        using var response = await _http.PostAsync($"http://flaky:{Port}/big/chunked-fail", content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, Count("/big/chunked-fail"));
        Assert.Equal("chunked ping", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RateLimitedAnswer_NotRetriedUnder5xx()
    {
        using var response = await _http.GetAsync($"http://flaky:{Port}/limited-5xx/ratelimited");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, Count("/limited-5xx/ratelimited"));
    }

    [Fact]
    public async Task RateLimitedAnswer_RetriedUnderEnvoyRateLimited_ThenURX()
    {
        using var response = await _http.GetAsync($"http://flaky:{Port}/limited-retried/ratelimited");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, Count("/limited-retried/ratelimited"));
        var line = await _proxy.AccessLog.WaitForLineAsync(l => l.Contains("/limited-retried/ratelimited"), "the access log line");
        Assert.Contains(" 503 URX ", line);
    }

    [Fact]
    public async Task RetriableHeaders_ResponseWithANamedHeader_IsRetried()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://flaky:{Port}/retriable-headers/try-again");
        request.Headers.Add("x-envoy-retriable-header-names", "x-upstream-try-again");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, Count("/retriable-headers/try-again"));
        // Without the request naming the header, the same answer is passed on at once.
        using var unnamed = await _http.GetAsync($"http://flaky:{Port}/retriable-headers/try-again-unnamed");
        Assert.Equal(1, Count("/retriable-headers/try-again-unnamed"));
    }

    /// <summary>A body whose length the client does not know, so it is sent chunked.</summary>
    private sealed class ChunkedOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    private static RouteRetryPolicy Retries(uint retries, string retryOn, uint perTryMs = 0, uint backoffMs = 0, params uint[] codes)
    {
        var policy = new RouteRetryPolicy { NumRetries = retries, PerTryTimeoutMs = perTryMs, BackoffBaseMs = backoffMs };
        policy.RetryOn.AddRange(retryOn.Split(','));
        policy.RetriableStatusCodes.AddRange(codes);
        return policy;
    }

    private int Count(string path) => _counts.TryGetValue(path, out var count) ? count : 0;

    private async Task<WebApplication> StartUpstreamAsync(IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, port));
        var app = builder.Build();
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (path.EndsWith("/slow", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { });
                return;
            }

            if (path.EndsWith("/grpc-unavailable", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = "14";
                return;
            }

            if (path.EndsWith("/ratelimited", StringComparison.Ordinal))
            {
                // As a rate-limiting proxy in front of the upstream answers.
                context.Response.Headers["x-envoy-ratelimited"] = "true";
                context.Response.StatusCode = 503;
                return;
            }

            if (path.Contains("/try-again", StringComparison.Ordinal))
            {
                context.Response.Headers["x-upstream-try-again"] = "1";
            }

            context.Response.StatusCode = path.EndsWith("fail", StringComparison.Ordinal) ? 503 : 200;
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return app;
    }
}
