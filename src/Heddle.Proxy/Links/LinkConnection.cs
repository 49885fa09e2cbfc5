using System.IO.Pipelines;
using Heddle.Proxy.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Heddle.Proxy.Links;

/// <summary>
/// The server side of one <see cref="LinkStream"/>, served as a connection of the inbound listener: it has the link's
/// connection features (TLS, the peer's identity, the listener), and its own lifetime — the peer closing the stream
/// or the link breaking fires <see cref="ConnectionClosed"/>, <see cref="Abort"/> closes the stream, Kestrel's
/// heartbeat reaches it through the link's connection, and a drain of that connection reaches it as a close request.
/// </summary>
internal sealed class LinkConnection : OwnConnection, IConnectionHeartbeatFeature, IConnectionLifetimeNotificationFeature, IConnectionCompleteFeature
{
    private static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 4 * 1024, leaveOpen: true);

    private readonly LinkStream _stream;
    private readonly CancellationTokenSource _closeRequested = new();
    private readonly Lock _callbacks = new();
    private List<(Action<object> Callback, object State)>? _heartbeat;
    private Stack<(Func<object, Task> Callback, object State)>? _completed;

    public LinkConnection(ConnectionContext link, LinkStream stream)
        : base(link.ConnectionId + "/" + stream.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), link.LocalEndPoint, link.RemoteEndPoint)
    {
        _stream = stream;
        Transport = new DuplexPipe(new LinkStreamReader(stream), PipeWriter.Create(stream, WriterOptions));
        stream.Ended = FireConnectionClosed;
        if (stream.HasEnded)
        {
            // Ended before the callback was in place.
            FireConnectionClosed();
        }

        foreach (var (type, feature) in link.Features)
        {
            if (!OwnFeatures.Contains(type))
            {
                Features[type] = feature;
            }
        }

        Features.Set<IConnectionHeartbeatFeature>(this);
        Features.Set<IConnectionLifetimeNotificationFeature>(this);
        Features.Set<IConnectionCompleteFeature>(this);
    }

    /// <summary>Features each stream has its own of, rather than its link's.</summary>
    private static readonly HashSet<Type> OwnFeatures =
    [
        typeof(IConnectionIdFeature), typeof(IConnectionTransportFeature), typeof(IConnectionItemsFeature), typeof(IConnectionLifetimeFeature),
        typeof(IConnectionEndPointFeature), typeof(IConnectionHeartbeatFeature), typeof(IConnectionLifetimeNotificationFeature),
        typeof(IConnectionCompleteFeature),
    ];

    public void RequestClose() => ThreadPool.UnsafeQueueUserWorkItem(static source => source.Cancel(), _closeRequested, preferLocal: false);

    public void OnHeartbeat(Action<object> action, object state)
    {
        lock (_callbacks)
        {
            (_heartbeat ??= []).Add((action, state));
        }
    }

    /// <summary>Kestrel's heartbeat, through the link's connection.</summary>
    public void Tick()
    {
        lock (_callbacks)
        {
            if (_heartbeat is null)
            {
                return;
            }

            foreach (var (callback, state) in _heartbeat)
            {
                callback(state);
            }
        }
    }

    public void OnCompleted(Func<object, Task> callback, object state)
    {
        lock (_callbacks)
        {
            (_completed ??= new()).Push((callback, state));
        }
    }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        _stream.Dispose();
        FireConnectionClosed();
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await Transport.Input.CompleteAsync().ConfigureAwait(false);
            await Transport.Output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // What was left to write could not go: the stream or its link had ended.
        }

        // The stream itself is closed by its link once this connection has been served.
        FireConnectionClosed();
        while (true)
        {
            (Func<object, Task> Callback, object State) next;
            lock (_callbacks)
            {
                if (_completed is null || !_completed.TryPop(out next))
                {
                    break;
                }
            }

            await next.Callback(next.State).ConfigureAwait(false);
        }
    }

    CancellationToken IConnectionLifetimeNotificationFeature.ConnectionClosedRequested
    {
        get => _closeRequested.Token;
        set => throw new NotSupportedException();
    }
}
