using Heddle.Config.Model;
using Heddle.ControlPlane.Discovery;
using Heddle.ControlPlane.Push;
using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Push;

public sealed class PushCoordinatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly PodRegistry _pods = new();
    private readonly ProxyConnections _connections = new();

    private ProxyConnection Connect(string name, string resumedVersion)
    {
        var node = new Node { Id = name + ".default", PodName = name, Namespace = "default", Workload = name, PodIp = "127.0.1.1" };
        var connection = new ProxyConnection(node, _pods.Register(ConnectedPod.FromNode(node, WorkloadHealth.Healthy)), resumedVersion);
        _connections.Add(connection);
        return connection;
    }

    [Fact]
    public void Refresh_FreshProxyDuringWarmUp_IsServedAtOnce()
    {
        using var push = new PushCoordinator(ConfigSet.Empty, _pods, _connections, _time, NullLogger<PushCoordinator>.Instance);
        var fresh = Connect("web-0", resumedVersion: "");

        push.Refresh(fresh);

        Assert.True(fresh.HasLatest);
    }

    [Fact]
    public void Refresh_ResumingProxiesDuringWarmUp_WaitUntilReconnectsSettle()
    {
        using var push = new PushCoordinator(ConfigSet.Empty, _pods, _connections, _time, NullLogger<PushCoordinator>.Instance);
        var first = Connect("web-0", resumedVersion: "abc");
        push.Refresh(first);
        _time.Advance(TimeSpan.FromMilliseconds(800));
        var second = Connect("web-1", resumedVersion: "abc");
        push.Refresh(second);
        _time.Advance(TimeSpan.FromMilliseconds(800));

        Assert.False(first.HasLatest);
        Assert.False(second.HasLatest);

        _time.Advance(TimeSpan.FromMilliseconds(300));

        Assert.True(push.IsWarm);
        Assert.True(first.HasLatest);
        Assert.True(second.HasLatest);
    }

    [Fact]
    public void Refresh_ProxiesKeepReconnecting_WarmUpEndsAtItsMaximum()
    {
        using var push = new PushCoordinator(ConfigSet.Empty, _pods, _connections, _time, NullLogger<PushCoordinator>.Instance);
        var first = Connect("web-0", resumedVersion: "abc");
        push.Refresh(first);
        for (int i = 1; i <= 6; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(900));
            push.Refresh(Connect($"web-{i}", resumedVersion: "abc"));
        }

        Assert.True(push.IsWarm);
        Assert.True(first.HasLatest);
    }
}
