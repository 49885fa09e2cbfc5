using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficManagement;

/// <summary>
/// One mesh for the ported traffic-management tasks (testdata/traffic): httpbin v1 and v2, a client, and the flaky
/// pod whose server runs in the test process on that pod's address.
/// </summary>
public sealed class TrafficMeshFixture : IAsyncLifetime
{
    private LocalMesh? _mesh;
    private FlakyServer? _flaky;

    internal LocalMesh Mesh => _mesh ?? throw new InvalidOperationException("mesh not started");

    internal FlakyServer Flaky => _flaky ?? throw new InvalidOperationException("mesh not started");

    public async Task InitializeAsync()
    {
        _mesh = await LocalMesh.StartAsync("traffic");
        _flaky = await FlakyServer.StartAsync(_mesh.PodIp("flaky"), 8080);
    }

    public async Task DisposeAsync()
    {
        if (_flaky is not null)
        {
            await _flaky.DisposeAsync();
        }

        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TrafficMeshCollection : ICollectionFixture<TrafficMeshFixture>
{
    public const string Name = "traffic mesh";
}
