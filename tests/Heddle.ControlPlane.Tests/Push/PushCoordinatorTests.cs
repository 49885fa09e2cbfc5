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

    private ProxyConnection Connect(string name)
    {
        var node = new Node { Id = name + ".default", PodName = name, Namespace = "default", Workload = name, PodIp = "127.0.1.1" };
        var connection = new ProxyConnection(node, _pods.Register(ConnectedPod.FromNode(node, WorkloadHealth.Healthy)));
        _connections.Add(connection);
        return connection;
    }

    [Fact]
    public void Refresh_NewProxy_IsServedAtOnce()
    {
        using var push = new PushCoordinator(ConfigSet.Empty, _pods, _connections, _time, NullLogger<PushCoordinator>.Instance);
        var fresh = Connect("web-0");

        push.Refresh(fresh);

        Assert.True(fresh.HasLatest);
    }
}
