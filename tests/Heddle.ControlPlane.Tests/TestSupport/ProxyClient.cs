using Grpc.Core;
using Heddle.Discovery.V1;

namespace Heddle.ControlPlane.Tests.TestSupport;

/// <summary>The proxy's side of one discovery stream, driven step by step by a test.</summary>
internal sealed class ProxyClient : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> _call;

    public ProxyClient(AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> call, Node node, WorkloadHealth health)
    {
        _call = call;
        Node = node;
        Health = health;
    }

    public Node Node { get; }

    public WorkloadHealth Health { get; private set; }

    public Task HelloAsync() => _call.RequestStream.WriteAsync(new DiscoveryRequest { Node = Node, Health = Health });

    /// <summary>The next response, failing the test if none arrives in time.</summary>
    public async Task<DiscoveryResponse> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        Assert.True(await _call.ResponseStream.MoveNext(timeout.Token), "the control plane closed the stream");
        return _call.ResponseStream.Current;
    }

    /// <summary>False when the stream has ended, cleanly or not.</summary>
    public async Task<bool> TryReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            return await _call.ResponseStream.MoveNext(timeout.Token);
        }
        catch (RpcException) when (!timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    public Task AckAsync(DiscoveryResponse response) =>
        _call.RequestStream.WriteAsync(new DiscoveryRequest { AckedVersion = response.Version, ResponseNonce = response.Nonce, Health = Health });

    public Task NackAsync(DiscoveryResponse response, string lastGoodVersion, string reason) =>
        _call.RequestStream.WriteAsync(new DiscoveryRequest
        {
            AckedVersion = lastGoodVersion,
            ResponseNonce = response.Nonce,
            Health = Health,
            Rejection = new Rejection { Version = response.Version, Reason = reason },
        });

    public Task ReportHealthAsync(WorkloadHealth health)
    {
        Health = health;
        return _call.RequestStream.WriteAsync(new DiscoveryRequest { Health = health });
    }

    /// <summary>Reads the full snapshot and acknowledges it.</summary>
    public async Task<DiscoveryResponse> HelloAndAckAsync()
    {
        await HelloAsync();
        var full = await ReadAsync();
        await AckAsync(full);
        return full;
    }

    public Task CloseAsync() => _call.RequestStream.CompleteAsync();

    public void Dispose() => _call.Dispose();
}
