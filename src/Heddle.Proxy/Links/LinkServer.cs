using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Heddle.Proxy.Links;

/// <summary>
/// The server side of a link on the inbound listener: each stream the client opens is served as a connection of the
/// listener (<paramref name="serve"/>: the lean HTTP/1.1 path, then Kestrel's), with the link's connection features.
/// Kestrel's heartbeat reaches every stream's connection; a drain of the link's connection asks the client to open no
/// more streams and each stream's connection to close after its request.
/// </summary>
internal static class LinkServer
{
    public static async Task ServeAsync(ConnectionContext connection, ConnectionDelegate serve)
    {
        var open = new ConcurrentDictionary<LinkConnection, byte>();
        var link = new SidecarLink(
            connection.Transport.Input,
            connection.Transport.Output,
            async stream =>
            {
                var streamConnection = new LinkConnection(connection, stream);
                open.TryAdd(streamConnection, 0);
                try
                {
                    await serve(streamConnection).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or ConnectionResetException)
                {
                    // The stream's connection failed as a connection may: that stream's problem only.
                }
                finally
                {
                    open.TryRemove(streamConnection, out _);
                    await streamConnection.DisposeAsync().ConfigureAwait(false);
                }
            },
            owner: null);

        connection.Features.Get<IConnectionHeartbeatFeature>()?.OnHeartbeat(
            static state =>
            {
                foreach (var streamConnection in ((ConcurrentDictionary<LinkConnection, byte>)state).Keys)
                {
                    streamConnection.Tick();
                }
            },
            open);

        using var drain = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested.Register(() =>
        {
            link.GoAway();
            foreach (var streamConnection in open.Keys)
            {
                streamConnection.RequestClose();
            }
        });

        await link.RunAsync().ConfigureAwait(false);
    }
}
