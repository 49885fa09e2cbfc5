using System.Collections.Concurrent;
using System.Net;
using Heddle.Discovery.V1;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Resilience;

/// <summary>connectionPool.http.maxRetries through a real proxy: while the cluster's only retry slot is taken, another
/// request's retriable answer is not retried but passed to the client.</summary>
public sealed class RetryBudgetForwardingTests : IAsyncLifetime
{
    private const int Port = 8000;

    private readonly TestSubnet _net = TestSubnet.Next();
    private readonly string _cluster = ClusterName("budget", Port);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeControlPlane _controlPlane = null!;
    private TestProxy _proxy = null!;
    private WebApplication _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await StartUpstreamAsync(_net.Address(10), 8080);
        _controlPlane = await FakeControlPlane.StartAsync(_net.ControlPlane);
        var cluster = Cluster(_cluster, Endpoint(_net.Address(10).ToString(), 8080));
        cluster.Cluster.ConnectionPool = new ConnectionPoolLimits { MaxRetries = 1 };
        var route = Route(_cluster);
        route.RetryPolicy = new RouteRetryPolicy { NumRetries = 3, BackoffBaseMs = 1 };
        route.RetryPolicy.RetryOn.Add("5xx");
        _controlPlane.SetSnapshot("client-0.default", Full("1", cluster, VirtualHost("budget", Port, route)));
        _proxy = await TestProxy.StartAsync(_net.Address(2), _controlPlane.Address, "client-0");
        await _proxy.WaitForVersionAsync("1");
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _proxy.DisposeAsync();
        await _controlPlane.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task MaxRetries_BudgetTaken_RetriableAnswerPassedWithoutRetry_ThenRetriesResume()
    {
        using var http = _proxy.CreateProxiedClient();
        var breaker = _proxy.Host.Snapshots.Current.Clusters[_cluster].CircuitBreaker!;

        // A's first try fails; its retry takes the only slot and hangs at the upstream.
        var holder = http.GetAsync($"http://budget:{Port}/a/fail-then-hang");
        await Eventually.WaitAsync(() => breaker.Retries == 1 && Count("/a/fail-then-hang") == 2, "a retry in flight");

        using (var refused = await http.GetAsync($"http://budget:{Port}/b/fail"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("upstream says no", await refused.Content.ReadAsStringAsync());
            Assert.Equal(1, Count("/b/fail"));
        }

        _release.SetResult();
        using (var held = await holder)
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
        }

        await Eventually.WaitAsync(() => breaker.Retries == 0, "the retry slot returned");
        using var retried = await http.GetAsync($"http://budget:{Port}/c/fail");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, retried.StatusCode);
        Assert.Equal(4, Count("/c/fail"));
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
            var count = _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (path.EndsWith("/fail-then-hang", StringComparison.Ordinal) && count > 1)
            {
                await _release.Task.WaitAsync(context.RequestAborted);
                await context.Response.WriteAsync("finally");
                return;
            }

            context.Response.StatusCode = path.Contains("fail", StringComparison.Ordinal) ? 503 : 200;
            await context.Response.WriteAsync("upstream says no");
        });
        await app.StartAsync();
        return app;
    }
}
