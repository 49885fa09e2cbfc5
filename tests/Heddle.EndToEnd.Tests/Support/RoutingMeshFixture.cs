using System.Net;
using Heddle.EndToEnd.Tests.Echo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Heddle.EndToEnd.Tests.Support;

/// <summary>
/// One mesh shared by the routing and protocol tests (testdata/routing): two versions of an echo service, httpbin,
/// a client, and a pod whose gRPC and h2c servers run inside the test process on that pod's address.
/// </summary>
public sealed class RoutingMeshFixture : IAsyncLifetime
{
    private LocalMesh? _mesh;
    private WebApplication? _grpcPod;

    internal LocalMesh Mesh => _mesh ?? throw new InvalidOperationException("mesh not started");

    public async Task InitializeAsync()
    {
        _mesh = await LocalMesh.StartAsync("routing");
        _grpcPod = await StartGrpcPodAsync(_mesh.PodIp("grpc-echo"));
    }

    public async Task DisposeAsync()
    {
        if (_grpcPod is not null)
        {
            await _grpcPod.DisposeAsync();
        }

        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartGrpcPodAsync(string podIp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(podIp), 50051, l => l.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Parse(podIp), 8081, l => l.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        app.MapGet("/protocol", (HttpContext c) => $"{c.Request.Protocol} via {c.Request.Host}");
        await app.StartAsync();
        return app;
    }
}

[CollectionDefinition(Name)]
public sealed class RoutingMeshCollection : ICollectionFixture<RoutingMeshFixture>
{
    public const string Name = "routing mesh";
}
