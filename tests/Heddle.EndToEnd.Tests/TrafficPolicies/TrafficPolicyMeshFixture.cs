using Heddle.EndToEnd.Tests.Support;

namespace Heddle.EndToEnd.Tests.TrafficPolicies;

/// <summary>One mesh for the DestinationRule traffic-policy tests (testdata/traffic-policies): three pods behind a
/// consistent hash, a pair where one pod answers 500, a pair balanced by least request, httpbin behind Istio's
/// circuit-breaking DestinationRule, and a client.</summary>
public sealed class TrafficPolicyMeshFixture : IAsyncLifetime
{
    private LocalMesh? _mesh;

    internal LocalMesh Mesh => _mesh ?? throw new InvalidOperationException("mesh not started");

    public async Task InitializeAsync() => _mesh = await LocalMesh.StartAsync("traffic-policies");

    public async Task DisposeAsync()
    {
        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class TrafficPolicyMeshCollection : ICollectionFixture<TrafficPolicyMeshFixture>
{
    public const string Name = "traffic policy mesh";
}
