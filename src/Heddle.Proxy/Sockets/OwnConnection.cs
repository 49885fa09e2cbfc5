using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Sockets;

/// <summary>
/// What Heddle's own connections share (an accepted socket on the event loop, a stream of a sidecar link): they serve
/// Kestrel's basic per-connection features themselves, and fire <see cref="ConnectionClosed"/> once, from the thread
/// pool (whoever waits on it may do real work, which must not run on the event loop's thread).
/// </summary>
internal abstract class OwnConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature
{
    private readonly CancellationTokenSource _closed = new();
    private int _closedFired;

    protected OwnConnection(string connectionId, EndPoint? localEndPoint, EndPoint? remoteEndPoint)
    {
        ConnectionId = connectionId;
        LocalEndPoint = localEndPoint;
        RemoteEndPoint = remoteEndPoint;
        ConnectionClosed = _closed.Token;
        var features = new FeatureCollection();
        features.Set<IConnectionIdFeature>(this);
        features.Set<IConnectionTransportFeature>(this);
        features.Set<IConnectionItemsFeature>(this);
        features.Set<IConnectionLifetimeFeature>(this);
        features.Set<IConnectionEndPointFeature>(this);
        Features = features;
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    /// <summary>Set by the subclass once its pipes exist.</summary>
    public override IDuplexPipe Transport { get; set; } = null!;

    public override EndPoint? LocalEndPoint { get; set; }

    public override EndPoint? RemoteEndPoint { get; set; }

    public override CancellationToken ConnectionClosed { get; set; }

    /// <summary>Fires <see cref="ConnectionClosed"/> (once). The token source is never disposed: it fires from the
    /// thread pool, possibly after the connection was disposed.</summary>
    protected void FireConnectionClosed()
    {
        if (Interlocked.Exchange(ref _closedFired, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), _closed, preferLocal: false);
        }
    }
}
