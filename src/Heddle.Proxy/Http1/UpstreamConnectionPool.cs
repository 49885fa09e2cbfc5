using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Heddle.Proxy.Discovery;
using Heddle.Proxy.Links;
using Heddle.Proxy.Security;
using Heddle.Proxy.Sockets;

namespace Heddle.Proxy.Http1;

/// <summary>
/// The lean path's upstream connections: per next hop ("host:port") a bounded LIFO stack of idle kept-alive HTTP/1.1
/// connections. LIFO keeps few connections warm; connections idle longer than the idle timeout are closed when met.
/// TLS follows the cluster's settings for the hop (<see cref="UpstreamTls"/>), negotiated with ALPN http/1.1.
/// </summary>
internal sealed class UpstreamConnectionPool(SnapshotStore store, UpstreamTls? tls, TimeProvider timeProvider) : IAsyncDisposable
{
    /// <summary>How long a hop that refused a link is reached without one before it is asked again.</summary>
    public static readonly TimeSpan NoLinksFor = TimeSpan.FromMinutes(1);

    /// <summary>Idle connections kept per next hop; more are closed when they are returned.</summary>
    public const int MaxIdlePerHop = 256;

    private readonly ConcurrentDictionary<(string Hop, bool Plaintext, bool Linked), HopPool> _hops = new();

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>The pool of one next hop ("ip:port" or "name:port").</summary>
    public HopPool For(string hop) => For(hop, plaintext: false, linked: false);

    /// <summary>The pool of one next hop; <paramref name="plaintext"/>: connections that never use TLS, kept apart
    /// from the hop's TLS connections (<see cref="Upstreams.UpstreamEndpoint.Plaintext"/>); <paramref name="linked"/>:
    /// the hop is another sidecar's inbound listener, reached over a <see cref="SidecarLink"/> when it speaks it.</summary>
    public HopPool For(string hop, bool plaintext, bool linked) =>
        _hops.TryGetValue((hop, plaintext, linked), out var pool)
            ? pool
            : _hops.GetOrAdd((hop, plaintext, linked), static (key, owner) => new HopPool(key.Hop, owner, key.Plaintext, key.Linked), this);

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _hops.Values)
        {
            await pool.CloseIdleAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The connections to one next hop.</summary>
    internal sealed class HopPool
    {
        private readonly UpstreamConnectionPool _owner;
        private readonly UpstreamConnection?[] _idle = new UpstreamConnection?[MaxIdlePerHop];
        private readonly EndPoint _endPoint;
        private readonly DnsEndPoint _tlsName;
        private int _count;
        private ProxySnapshot? _tlsSnapshot;
        private ClientTls? _tlsForSnapshot;

        private readonly bool _plaintext;
        private readonly bool _linked;
        private readonly Lock _linkLock = new();
        private SidecarLink? _link;
        private Task<SidecarLink?>? _linking;
        private long _noLinksUntil;

        public HopPool(string hop, UpstreamConnectionPool owner, bool plaintext, bool linked)
        {
            _plaintext = plaintext;
            _linked = linked;
            Hop = hop;
            _owner = owner;
            var colon = hop.LastIndexOf(':');
            var host = hop[..colon].Trim('[', ']');
            var port = int.Parse(hop.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
            _endPoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
            _tlsName = new DnsEndPoint(host, port);
        }

        public string Hop { get; }

        public int IdleCount => Volatile.Read(ref _count);

        /// <summary>The TLS the next hop wants under the current snapshot (null: plaintext); looked up once per snapshot.</summary>
        public ClientTls? CurrentTls()
        {
            if (_plaintext || _owner.Tls is not { } tls)
            {
                return null;
            }

            var snapshot = _owner.Store.Current;
            if (!ReferenceEquals(Volatile.Read(ref _tlsSnapshot), snapshot))
            {
                _tlsForSnapshot = tls.Find(_tlsName);
                Volatile.Write(ref _tlsSnapshot, snapshot);
            }

            return _tlsForSnapshot;
        }

        /// <summary>The most recently returned idle connection that is still usable, or null.</summary>
        public UpstreamConnection? TryRent(ClientTls? wanted, TimeSpan idleTimeout)
        {
            var now = _owner.TimeProvider.GetTimestamp();
            while (true)
            {
                UpstreamConnection? connection;
                lock (_idle)
                {
                    if (_count == 0)
                    {
                        return null;
                    }

                    connection = _idle[--_count];
                    _idle[_count] = null;
                }

                if (!ClientTls.SameRequirements(connection!.Tls, wanted) || _owner.TimeProvider.GetElapsedTime(connection.IdleSince, now) > idleTimeout
                    || connection.Stream is LinkStream { HasEnded: true })
                {
                    _ = connection.DisposeAsync();
                    continue;
                }

                return connection;
            }
        }

        /// <summary>Keeps a connection whose last response ended cleanly; closes it when the pool is full.</summary>
        public void Return(UpstreamConnection connection)
        {
            connection.IdleSince = _owner.TimeProvider.GetTimestamp();
            lock (_idle)
            {
                if (_count < _idle.Length)
                {
                    _idle[_count++] = connection;
                    return;
                }
            }

            _ = connection.DisposeAsync();
        }

        /// <summary>Opens a connection (TLS when <paramref name="wanted"/> says so) — a stream of the hop's link when the hop
        /// is a sidecar that speaks links; null when it cannot be opened in time.</summary>
        public async ValueTask<UpstreamConnection?> ConnectAsync(ClientTls? wanted, TimeSpan connectTimeout)
        {
            if (_linked && SidecarLink.Enabled && _owner.TimeProvider.GetTimestamp() >= Volatile.Read(ref _noLinksUntil))
            {
                if (await OpenLinkStreamAsync(wanted, connectTimeout).ConfigureAwait(false) is { } stream)
                {
                    return new UpstreamConnection(stream, wanted);
                }

                if (_owner.TimeProvider.GetTimestamp() >= Volatile.Read(ref _noLinksUntil))
                {
                    return null;
                }
            }

            // Only the connect timeout bounds opening: a connection opened for a client that left is pooled for the next one.
            using var timeout = new CancellationTokenSource(connectTimeout, _owner.TimeProvider);
            var opened = await OpenAsync(wanted, timeout.Token).ConfigureAwait(false);
            return opened is null ? null : new UpstreamConnection(opened, wanted);
        }

        /// <summary>A connection's stream (it owns the socket), secured when <paramref name="wanted"/> says so; null when it
        /// cannot be opened.</summary>
        private async ValueTask<Stream?> OpenAsync(ClientTls? wanted, CancellationToken cancellationToken)
        {
            IDisposable? socket = null;
            try
            {
                Stream stream;
                if (EventLoop.Enabled && _endPoint is IPEndPoint address)
                {
                    var loopSocket = await LoopSocket.ConnectAsync(address, EventLoop.Shared, cancellationToken).ConfigureAwait(false);
                    socket = loopSocket;
                    stream = new LoopStream(loopSocket);
                }
                else
                {
                    var dotnetSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    socket = dotnetSocket;
                    await dotnetSocket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
                    stream = new NetworkStream(dotnetSocket, ownsSocket: true);
                }

                if (wanted is not null && _owner.Tls is { } tls)
                {
                    stream = await tls.SecureAsync(stream, _tlsName, http2: false, cancellationToken).ConfigureAwait(false);
                }

                return stream;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or AuthenticationException or InvalidOperationException)
            {
                socket?.Dispose();
                return null;
            }
        }

        /// <summary>A new stream of the hop's link, opening the link first when there is none that is usable with
        /// <paramref name="wanted"/>; null when the link cannot be opened (or the hop refused it: see <see cref="_noLinksUntil"/>).</summary>
        private async ValueTask<LinkStream?> OpenLinkStreamAsync(ClientTls? wanted, TimeSpan connectTimeout)
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                SidecarLink? link;
                Task<SidecarLink?>? linking = null;
                lock (_linkLock)
                {
                    link = _link is { IsUsable: true } current && ClientTls.SameRequirements(current.Tls, wanted) ? current : null;
                    if (link is null)
                    {
                        // One link is opened at a time; whoever needs it meanwhile waits for that one.
                        linking = _linking ??= LinkAsync(wanted, connectTimeout);
                    }
                }

                if (linking is not null)
                {
                    try
                    {
                        link = await linking.ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        // Not one of the failures LinkAsync expects: this attempt failed, the next one starts afresh.
                        link = null;
                    }

                    SidecarLink? retired = null;
                    lock (_linkLock)
                    {
                        if (ReferenceEquals(_linking, linking))
                        {
                            _linking = null;
                            if (link is not null)
                            {
                                retired = _link;
                                _link = link;
                            }
                        }
                    }

                    retired?.Retire();
                }

                if (link is null)
                {
                    return null;
                }

                if (ClientTls.SameRequirements(link.Tls, wanted) && link.Open() is { } stream)
                {
                    return stream;
                }
            }

            return null;
        }

        /// <summary>Opens a connection and upgrades it to a link; null when it cannot be opened, or when the hop answers
        /// the upgrade with anything but 101 (then the hop is reached without links for <see cref="NoLinksFor"/>).</summary>
        private async Task<SidecarLink?> LinkAsync(ClientTls? wanted, TimeSpan connectTimeout)
        {
            using var timeout = new CancellationTokenSource(connectTimeout, _owner.TimeProvider);
            if (await OpenAsync(wanted, timeout.Token).ConfigureAwait(false) is not { } stream)
            {
                return null;
            }

            try
            {
                await stream.WriteAsync(LinkUpgrade.Request(Hop), timeout.Token).ConfigureAwait(false);
                var buffer = new byte[1024];
                var length = 0;
                while (length < buffer.Length)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    var status = ResponseHeadParser.Parse(buffer.AsSpan(0, length), out var head);
                    if (status == HeadStatus.Incomplete)
                    {
                        continue;
                    }

                    if (status == HeadStatus.Complete && head.Status == 101 && head.Length == length)
                    {
                        var link = new SidecarLink(
                            PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024)),
                            PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024)),
                            accept: null,
                            owner: stream,
                            idleTime: _owner.TimeProvider) { Tls = wanted };
                        _ = link.RunAsync();
                        return link;
                    }

                    break;
                }

                // Not a sidecar that speaks links (another version, or not Heddle): plain connections for a while.
                Volatile.Write(ref _noLinksUntil, _owner.TimeProvider.GetTimestamp() + (long)(NoLinksFor.TotalSeconds * _owner.TimeProvider.TimestampFrequency));
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or AuthenticationException or InvalidOperationException)
            {
            }

            await stream.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        public async ValueTask CloseIdleAsync()
        {
            SidecarLink? link;
            lock (_linkLock)
            {
                link = _link;
                _link = null;
            }

            link?.Retire();

            while (true)
            {
                UpstreamConnection? connection;
                lock (_idle)
                {
                    if (_count == 0)
                    {
                        return;
                    }

                    connection = _idle[--_count];
                    _idle[_count] = null;
                }

                await connection!.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private SnapshotStore Store => store;

    private UpstreamTls? Tls => tls;
}
