using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Heddle.Discovery.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using DiscoveryService = Heddle.Discovery.V1.Discovery;

namespace Heddle.Proxy.Tests.Infrastructure;

/// <summary>
/// A real gRPC discovery server that serves hand-built responses: each proxy gets its node's configured snapshot when
/// it connects; tests push more, read what the proxies sent back, and stop and restart the server on the same address.
/// </summary>
internal sealed class FakeControlPlane : IAsyncDisposable
{
    private readonly Service _service = new();
    private WebApplication? _app;

    private FakeControlPlane(IPEndPoint endpoint)
    {
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public Uri Address => new("http://" + Endpoint);

    public static async Task<FakeControlPlane> StartAsync(IPAddress address, int port = 15010)
    {
        var controlPlane = new FakeControlPlane(new IPEndPoint(address, port));
        await controlPlane.StartAsync();
        return controlPlane;
    }

    /// <summary>The snapshot a node receives (as a full response) every time its stream opens.</summary>
    public void SetSnapshot(string nodeId, DiscoveryResponse full) => _service.Snapshots[nodeId] = full;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(_service);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(Endpoint, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.MapGrpcService<Service>();
        _service.Restart();
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Ends every stream abruptly and stops listening, like a control plane process that died.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
        {
            return;
        }

        _service.Kill();
        using var abort = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _app.StopAsync(abort.Token);
        await _app.DisposeAsync();
        _app = null;
    }

    public bool IsConnected(string nodeId) => _service.Sessions.ContainsKey(nodeId);

    /// <summary>Whether the proxy ended its stream in an orderly way (it was shutting down).</summary>
    public bool SaidGoodbye(string nodeId) => _service.Goodbyes.ContainsKey(nodeId);

    /// <summary>Sends a response on the node's stream (waits until the node is connected).</summary>
    public async Task PushAsync(string nodeId, DiscoveryResponse response)
    {
        await Eventually.WaitAsync(() => IsConnected(nodeId), $"proxy {nodeId} to connect");
        await _service.Sessions[nodeId].WriteAsync(response);
    }

    /// <summary>Every request received from the node, in order.</summary>
    public IReadOnlyList<DiscoveryRequest> Requests(string nodeId)
    {
        lock (_service.Received)
        {
            return _service.Received.Where(r => r.NodeId == nodeId).Select(r => r.Request).ToArray();
        }
    }

    public Task<DiscoveryRequest> WaitForRequestAsync(string nodeId, Func<DiscoveryRequest, bool> predicate, string what) =>
        Eventually.WaitAsync(() => Task.FromResult(Requests(nodeId).FirstOrDefault(predicate)), what);

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Session(IServerStreamWriter<DiscoveryResponse> writer)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task WriteAsync(DiscoveryResponse response)
        {
            await _gate.WaitAsync();
            try
            {
                await writer.WriteAsync(response);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private sealed class Service : DiscoveryService.DiscoveryBase
    {
        private CancellationTokenSource _kill = new();

        public ConcurrentDictionary<string, DiscoveryResponse> Snapshots { get; } = new();

        public ConcurrentDictionary<string, Session> Sessions { get; } = new();

        public ConcurrentDictionary<string, bool> Goodbyes { get; } = new();

        public List<(string NodeId, DiscoveryRequest Request)> Received { get; } = [];

        public void Restart() => _kill = new CancellationTokenSource();

        public void Kill()
        {
            _kill.Cancel();
            Sessions.Clear();
        }

        public override async Task Stream(IAsyncStreamReader<DiscoveryRequest> requestStream, IServerStreamWriter<DiscoveryResponse> responseStream, ServerCallContext context)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _kill.Token);
            var token = linked.Token;
            if (!await requestStream.MoveNext(token))
            {
                return;
            }

            var nodeId = requestStream.Current.Node?.Id ?? "";
            Record(nodeId, requestStream.Current);
            var session = new Session(responseStream);
            Sessions[nodeId] = session;
            try
            {
                if (Snapshots.TryGetValue(nodeId, out var snapshot))
                {
                    await session.WriteAsync(snapshot);
                }

                while (await requestStream.MoveNext(token))
                {
                    Record(nodeId, requestStream.Current);
                }

                // The proxy ended its side of the stream: an orderly goodbye.
                Goodbyes[nodeId] = true;
            }
            finally
            {
                Sessions.TryRemove(new KeyValuePair<string, Session>(nodeId, session));
            }
        }

        private void Record(string nodeId, DiscoveryRequest request)
        {
            lock (Received)
            {
                Received.Add((nodeId, request));
            }
        }
    }
}
