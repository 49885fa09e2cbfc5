using Heddle.Discovery.V1;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Health;
using Heddle.Proxy.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Heddle.Proxy.Tests.Infrastructure.MeshConfig;

namespace Heddle.Proxy.Tests.Discovery;

public sealed class DiscoveryClientTests
{
    private static readonly string Web = ClusterName("web", 8000);

    [Fact]
    public void Handle_RejectedDelta_KeepsLastGoodSnapshotAndNacks()
    {
        var net = TestSubnet.Next();
        var store = new SnapshotStore();
        using var client = new DiscoveryClient(TestProxy.Options(net.Address(2), new Uri("http://127.0.0.1:1"), "web-0"), store, new AppHealth(false), NullLogger.Instance);

        var ack = client.Handle(Full("1", Cluster(Web), VirtualHost("web", 8000, Route(Web))), WorkloadHealth.Healthy);
        var good = store.Current;
        var nack = client.Handle(Delta("2", "1", [], "cluster/" + Web), WorkloadHealth.Healthy);

        Assert.Equal("1", ack.AckedVersion);
        Assert.Equal("n-1", ack.ResponseNonce);
        Assert.Null(ack.Rejection);
        Assert.Same(good, store.Current);
        Assert.Equal("1", nack.AckedVersion);
        Assert.Equal("n-2", nack.ResponseNonce);
        Assert.Equal("2", nack.Rejection.Version);
        Assert.Contains("which is not in the configuration", nack.Rejection.Reason);
    }

    [Fact]
    public async Task ControlPlaneUnreachable_RetriesOnlyAfterEachBackoffDelay()
    {
        var net = TestSubnet.Next();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2030-01-01T00:00:00Z"));
        var options = TestProxy.Options(net.Address(2), new Uri($"http://{net.ControlPlane}:15010"), "web-0") with
        {
            TimeProvider = time,
            Random = new Random(3),
            DiscoveryBackoffInitial = TimeSpan.FromSeconds(1),
            DiscoveryBackoffMax = TimeSpan.FromSeconds(30),
        };
        var expected = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(3));
        using var client = new DiscoveryClient(options, new SnapshotStore(), new AppHealth(false), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = client.RunAsync(stop.Token);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var delay = expected.Next();
            await Eventually.WaitAsync(() => client.NextAttemptTimestamp == (time.GetUtcNow() + delay).UtcTicks, $"attempt {attempt} to fail and schedule a retry");
            Assert.Equal(attempt, client.StreamsOpened);

            time.Advance(delay - TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempt, client.StreamsOpened);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.WaitAsync(() => client.StreamsOpened == attempt + 1, $"attempt {attempt + 1} to start");
        }

        await stop.CancelAsync();
        await running;
        Assert.False(client.IsConnected);
    }
}
