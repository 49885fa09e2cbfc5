using Heddle.Discovery.V1;
using Heddle.Proxy.Resilience;

namespace Heddle.Proxy.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task EnterAsync_OneConnectionOnePending_ThirdRequestOverflows()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolLimits { MaxConnections = 1, Http1MaxPendingRequests = 1 }, http1: true);

        Assert.True(await breaker.EnterAsync(CancellationToken.None));
        var pending = breaker.EnterAsync(CancellationToken.None);
        Assert.False(pending.IsCompleted);
        Assert.False(await breaker.EnterAsync(CancellationToken.None));

        breaker.Exit();
        Assert.True(await pending);
        breaker.Exit();
        Assert.Equal(0, breaker.Requests);
        Assert.True(await breaker.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnterAsync_Http2MaxRequests_RefusesWithoutQueueing()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolLimits { Http2MaxRequests = 2, Http1MaxPendingRequests = 5 }, http1: false);

        Assert.True(await breaker.EnterAsync(CancellationToken.None));
        Assert.True(await breaker.EnterAsync(CancellationToken.None));
        Assert.False(await breaker.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task EnterAsync_MaxConnectionsOnHttp2Cluster_DoesNotLimit()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolLimits { MaxConnections = 1, Http1MaxPendingRequests = 1 }, http1: false);

        for (var i = 0; i < 10; i++)
        {
            Assert.True(await breaker.EnterAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task EnterAsync_WaiterCancelled_LeavesTheQueue()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolLimits { MaxConnections = 1, Http1MaxPendingRequests = 1 }, http1: true);
        using var cancel = new CancellationTokenSource();
        Assert.True(await breaker.EnterAsync(CancellationToken.None));

        var waiting = breaker.EnterAsync(cancel.Token);
        await cancel.CancelAsync();

        Assert.False(await waiting);
        breaker.Exit();
        Assert.Equal(0, breaker.Requests);
        Assert.True(await breaker.EnterAsync(CancellationToken.None));
    }

    [Fact]
    public void TryEnterRetry_MaxRetries_Limits()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolLimits { MaxRetries = 1 }, http1: true);

        Assert.True(breaker.TryEnterRetry());
        Assert.False(breaker.TryEnterRetry());
        breaker.ExitRetry();
        Assert.True(breaker.TryEnterRetry());
    }

    [Fact]
    public void LeaseAsync_Admitted_DoesNotAllocate()
    {
        var breaker = new CircuitBreaker(new ConnectionPoolLimits { MaxConnections = 4, Http2MaxRequests = 100 }, http1: true);
        Admit(breaker);
        var before = GC.GetAllocatedBytesForCurrentThread();

        for (var i = 0; i < 1000; i++)
        {
            Admit(breaker);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Takes and returns one lease; the admitted path completes synchronously.</summary>
    private static void Admit(CircuitBreaker breaker)
    {
        var lease = breaker.LeaseAsync(CancellationToken.None);
        Assert.True(lease.IsCompletedSuccessfully);
        using var admitted = lease.GetAwaiter().GetResult();
        Assert.True(admitted.Admitted);
    }
}
