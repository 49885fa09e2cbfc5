using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.Registry;

public sealed class PodRegistryTests
{
    private static ConnectedPod Pod(string id, WorkloadHealth health = WorkloadHealth.Healthy) =>
        new(id, id, "default", "web", "127.0.1.1", "web", health);

    [Fact]
    public void Unregister_AfterReconnectUnderSameId_KeepsNewerRegistration()
    {
        var registry = new PodRegistry();
        var old = registry.Register(Pod("web-0.default"));
        var newer = registry.Register(Pod("web-0.default", WorkloadHealth.Unknown));

        Assert.False(registry.Unregister(old));
        Assert.False(registry.UpdateHealth(old, WorkloadHealth.Unhealthy));

        var pod = Assert.Single(registry.Pods);
        Assert.Equal(WorkloadHealth.Unknown, pod.Health);
        Assert.True(registry.Unregister(newer));
        Assert.Empty(registry.Pods);
    }

    [Fact]
    public void UpdateHealth_Changed_RaisesChangedOnce()
    {
        var registry = new PodRegistry();
        var registration = registry.Register(Pod("web-0.default", WorkloadHealth.Unknown));
        var changes = 0;
        registry.Changed += () => changes++;

        Assert.True(registry.UpdateHealth(registration, WorkloadHealth.Healthy));
        Assert.False(registry.UpdateHealth(registration, WorkloadHealth.Healthy));

        Assert.Equal(1, changes);
        Assert.True(Assert.Single(registry.Pods).IsHealthy);
    }
}
