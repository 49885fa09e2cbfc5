using Heddle.ControlPlane.Registry;
using Heddle.Discovery.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Heddle.ControlPlane.Tests.Registry;

public sealed class PodRegistryTests
{
    private readonly FakeTimeProvider _time = new();

    private static ConnectedPod Pod(string id, WorkloadHealth health = WorkloadHealth.Healthy) =>
        new(id, id, "default", "web", "127.0.1.1", "web", health);

    [Fact]
    public void Leave_AfterReconnectUnderSameId_KeepsNewerRegistration()
    {
        var registry = new PodRegistry(_time);
        var old = registry.Register(Pod("web-0.default"));
        var newer = registry.Register(Pod("web-0.default", WorkloadHealth.Unknown));

        Assert.False(registry.Leave(old));
        Assert.False(registry.Disconnect(old));
        Assert.False(registry.UpdateHealth(old, WorkloadHealth.Unhealthy));

        var pod = Assert.Single(registry.Pods);
        Assert.Equal(WorkloadHealth.Unknown, pod.Health);
        Assert.True(registry.Leave(newer));
        Assert.Empty(registry.Pods);
    }

    [Fact]
    public void UpdateHealth_Changed_RaisesChangedOnce()
    {
        var registry = new PodRegistry(_time);
        var registration = registry.Register(Pod("web-0.default", WorkloadHealth.Unknown));
        var changes = 0;
        registry.Changed += () => changes++;

        Assert.True(registry.UpdateHealth(registration, WorkloadHealth.Healthy));
        Assert.False(registry.UpdateHealth(registration, WorkloadHealth.Healthy));

        Assert.Equal(1, changes);
        Assert.True(Assert.Single(registry.Pods).IsHealthy);
    }

    [Fact]
    public void Disconnect_PodStaysUntilTheGraceRunsOut()
    {
        var registry = new PodRegistry(_time);
        var registration = registry.Register(Pod("web-0.default"));
        var changes = 0;
        registry.Changed += () => changes++;

        Assert.True(registry.Disconnect(registration));
        _time.Advance(PodRegistry.ReconnectGrace - TimeSpan.FromMilliseconds(1));

        Assert.Single(registry.Pods);
        Assert.Equal(0, registry.ConnectedCount);
        Assert.Equal(0, changes);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Empty(registry.Pods);
        Assert.Equal(1, changes);
    }

    [Fact]
    public void Disconnect_ThenReconnectWithinGrace_PodIsNeverRemoved()
    {
        var registry = new PodRegistry(_time);
        registry.Disconnect(registry.Register(Pod("web-0.default")));
        _time.Advance(PodRegistry.ReconnectGrace / 2);

        registry.Register(Pod("web-0.default"));
        _time.Advance(PodRegistry.ReconnectGrace * 2);

        Assert.Single(registry.Pods);
        Assert.Equal(1, registry.ConnectedCount);
    }

    [Fact]
    public void Restore_PodsWaitForTheirProxies_AndThoseThatNeverComeBackAreRemoved()
    {
        var registry = new PodRegistry(_time);
        registry.Restore([Pod("web-0.default"), Pod("web-1.default")]);

        Assert.Equal(2, registry.Pods.Length);
        registry.Register(Pod("web-0.default"));
        _time.Advance(PodRegistry.ReconnectGrace);

        Assert.Equal("web-0.default", Assert.Single(registry.Pods).Id);
    }

    [Fact]
    public void Restore_PodAlreadyConnected_KeepsTheConnectedOne()
    {
        var registry = new PodRegistry(_time);
        registry.Register(Pod("web-0.default", WorkloadHealth.Unhealthy));

        registry.Restore([Pod("web-0.default", WorkloadHealth.Healthy)]);
        _time.Advance(PodRegistry.ReconnectGrace);

        Assert.Equal(WorkloadHealth.Unhealthy, Assert.Single(registry.Pods).Health);
    }

    [Fact]
    public void RegistryFile_SavedPods_AreRestoredByTheNextControlPlane()
    {
        var path = Path.Combine(Path.GetTempPath(), $"heddle-pods-{Guid.NewGuid():N}.json");
        try
        {
            var first = new PodRegistry(_time);
            using (PodRegistryFile.Attach(path, first, _time, NullLogger.Instance))
            {
                first.Register(Pod("web-0.default"));
                first.Register(Pod("web-1.default", WorkloadHealth.Unhealthy));
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            var second = new PodRegistry(_time);
            using var file = PodRegistryFile.Attach(path, second, _time, NullLogger.Instance);

            Assert.Equal([Pod("web-0.default"), Pod("web-1.default", WorkloadHealth.Unhealthy)], second.Pods.ToArray());
            Assert.Equal(0, second.ConnectedCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RegistryFile_Corrupt_StartsEmpty()
    {
        var path = Path.Combine(Path.GetTempPath(), $"heddle-pods-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ not json");
        try
        {
            Assert.Empty(PodRegistryFile.Read(path, NullLogger.Instance));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
